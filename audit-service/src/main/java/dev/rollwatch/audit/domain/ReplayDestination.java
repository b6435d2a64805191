package dev.rollwatch.audit.domain;

import dev.rollwatch.events.Topics;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which topics a replay may write to: {@code audit-replay} (the default), or a topic of the caller's own that is a
 * legal Kafka name and not part of the contract. Re-publishing history onto a contract topic (or its dead-letter
 * topic, or a Kafka internal topic) would feed old events to live consumers as if they were new.
 */
public final class ReplayDestination {

    private static final Pattern KAFKA_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private ReplayDestination() {
    }

    /** The destination to use for {@code requested} (blank = the default), or why it is refused. */
    public static String resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            return Topics.AUDIT_REPLAY;
        }
        String refusal = refusal(requested).orElse(null);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        return requested;
    }

    static Optional<String> refusal(String topic) {
        if (Topics.AUDIT_REPLAY.equals(topic)) {
            return Optional.empty();
        }
        if (!KAFKA_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            return Optional.of("destination '" + topic + "' is not a valid Kafka topic name "
                    + "(1 to 249 of A-Z a-z 0-9 . _ -)");
        }
        if (Topics.ALL.contains(topic)) {
            return Optional.of("destination '" + topic + "' is a contract topic: replays go to "
                    + Topics.AUDIT_REPLAY + " or a topic of your own");
        }
        if (topic.endsWith(".dlq")) {
            return Optional.of("destination '" + topic + "' is a dead-letter topic");
        }
        if (topic.startsWith("__")) {
            return Optional.of("destination '" + topic + "' is a Kafka internal topic");
        }
        return Optional.empty();
    }
}
