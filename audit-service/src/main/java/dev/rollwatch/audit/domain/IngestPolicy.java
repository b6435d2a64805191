package dev.rollwatch.audit.domain;

import dev.rollwatch.events.EventHeader;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.kafka.TopicAcls;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Provenance at ingest: the contract's topic → type → source table. Each audited topic has exactly one producer
 * ({@link TopicAcls}: the service that may write it) whose CloudEvents {@code source} is
 * {@code /rollwatch/<service>}, and each known type belongs on one topic ({@link EventType#topic()}). An event is
 * appended only when its source is the producer of the topic it arrived on and, if its type is known, that type
 * belongs on that topic; a type this build does not know is accepted from the topic's producer (a newer producer).
 * Pure, so the table is tested directly.
 */
public final class IngestPolicy {

    /** Audited topic → the CloudEvents source of its single producer. */
    static final Map<String, String> PRODUCERS = producers();

    private IngestPolicy() {
    }

    /** The CloudEvents source of the topic's single producer, if it is an audited topic. */
    public static Optional<String> producerOf(String topic) {
        return Optional.ofNullable(PRODUCERS.get(topic));
    }

    /** Why this event may not be appended from {@code topic}, or empty when it may. */
    public static Optional<String> refusal(String topic, EventHeader header) {
        String producer = PRODUCERS.get(topic);
        if (producer == null) {
            return Optional.of("topic " + topic + " has no producer in the contract");
        }
        Optional<EventType> known = EventType.fromType(header.type());
        if (known.isPresent() && !known.get().topic().equals(topic)) {
            return Optional.of("type " + header.type() + " belongs on topic " + known.get().topic() + ", not "
                    + topic);
        }
        if (!producer.equals(header.source())) {
            return Optional.of("source " + header.source() + " may not write topic " + topic + " (its producer is "
                    + producer + ")");
        }
        return Optional.empty();
    }

    private static Map<String, String> producers() {
        Map<String, String> out = new LinkedHashMap<>();
        for (TopicAcls.Grant grant : TopicAcls.SERVICES) {
            for (String topic : grant.produces()) {
                if (Topics.ALL.contains(topic) && out.put(topic, "/rollwatch/" + grant.service()) != null) {
                    throw new IllegalStateException("topic " + topic + " has two producers in TopicAcls");
                }
            }
        }
        return Map.copyOf(out);
    }
}
