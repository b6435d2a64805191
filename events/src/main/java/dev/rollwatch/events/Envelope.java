package dev.rollwatch.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event of the contract. The producer sets {@code id} once (a UUID kept across retries), so a
 * re-sent event is recognisably the same event. {@code subject} is the deployment id and the Kafka key.
 *
 * @param id            unique per source, stable across retries
 * @param source        {@code /rollwatch/<service>}
 * @param type          the contract type, derived from {@code data}
 * @param subject       the deployment id (or the object an event is about)
 * @param time          when the producer decided it
 * @param causationId   id of the event that caused this one, if any
 * @param correlationId the deployment id, or the request id outside a deployment
 * @param partitionKey  the Kafka key (the deployment id)
 * @param data          the payload
 */
public record Envelope<T extends EventData>(String id, String source, EventType type, String subject, Instant time,
        String causationId, String correlationId, String partitionKey, T data) {

    public static final String SPEC_VERSION = "1.0";

    public Envelope {
        Require.text(id, "id");
        Require.text(source, "source");
        Require.present(data, "data");
        if (type == null) {
            type = data.contractType();
        } else if (type != data.contractType()) {
            throw new IllegalArgumentException("type " + type.type() + " does not match data " + data.contractType());
        }
    }

    /** A new event about {@code subject} (a deployment id), with a fresh id, correlated to that deployment. */
    public static <T extends EventData> Envelope<T> of(String source, String subject, T data) {
        Objects.requireNonNull(subject, "subject");
        return new Envelope<>(UUID.randomUUID().toString(), source, data.contractType(), subject,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, subject, subject, data);
    }

    /** The same event, marked as caused by {@code cause} and sharing its correlation id. */
    public Envelope<T> causedBy(Envelope<?> cause) {
        return new Envelope<>(id, source, type, subject, time, cause.id(),
                cause.correlationId() != null ? cause.correlationId() : correlationId, partitionKey, data);
    }

    /** The same event with another time (fixtures and tests). */
    public Envelope<T> at(Instant when) {
        return new Envelope<>(id, source, type, subject, when, causationId, correlationId, partitionKey, data);
    }

    /** The same event with another id (fixtures and tests). */
    public Envelope<T> withId(String newId) {
        return new Envelope<>(newId, source, type, subject, time, causationId, correlationId, partitionKey, data);
    }

    /** The Kafka record key: the partition key, else the subject. */
    public String key() {
        return partitionKey != null ? partitionKey : subject;
    }

    public String topic() {
        return type.topic();
    }

    /** Narrow the data to the expected record, or fail loudly. */
    @SuppressWarnings("unchecked")
    public <D extends EventData> Envelope<D> as(Class<D> dataClass) {
        if (!dataClass.isInstance(data)) {
            throw new IllegalStateException("event " + id + " is " + type.type() + ", not " + dataClass.getSimpleName());
        }
        return (Envelope<D>) this;
    }

    /** The source attribute for a Rollwatch service, e.g. {@code source("deploy-service")}. */
    public static String source(String service) {
        return "/rollwatch/" + service;
    }
}
