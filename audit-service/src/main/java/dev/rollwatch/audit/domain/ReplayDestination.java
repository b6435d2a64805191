package dev.rollwatch.audit.domain;

import dev.rollwatch.events.Topics;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which topics a replay may write to: replay topics only — {@code audit-replay} (the default) or a topic under the
 * prefix {@value #PREFIX} (e.g. {@code audit-replay.case-42}). Re-publishing history onto a contract topic (or its
 * dead-letter topic, or a Kafka internal topic) would feed old events to live consumers as if they were new, and a
 * replay to any other name would let an auditor write (and create) topics outside the one namespace replays own —
 * the one a broker's prefixed ACL can grant. Pure.
 */
public final class ReplayDestination {

    /** Custom replay topics are named {@code audit-replay.<name>}. */
    public static final String PREFIX = Topics.AUDIT_REPLAY + ".";

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

    /** Why a replay may not write to {@code topic}, or empty when it is a replay topic. */
    public static Optional<String> refusal(String topic) {
        if (Topics.AUDIT_REPLAY.equals(topic)) {
            return Optional.empty();
        }
        if (!KAFKA_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            return Optional.of("destination '" + topic + "' is not a valid Kafka topic name "
                    + "(1 to 249 of A-Z a-z 0-9 . _ -)");
        }
        if (Topics.ALL.contains(topic) || Topics.INPUTS.contains(topic)) {
            return Optional.of("destination '" + topic + "' is a contract topic: replays go to "
                    + Topics.AUDIT_REPLAY + " or a topic named " + PREFIX + "<name>");
        }
        if (topic.endsWith(".dlq")) {
            return Optional.of("destination '" + topic + "' is a dead-letter topic");
        }
        if (topic.startsWith("__")) {
            return Optional.of("destination '" + topic + "' is a Kafka internal topic");
        }
        if (!topic.startsWith(PREFIX) || topic.length() == PREFIX.length()) {
            return Optional.of("destination '" + topic + "' is not a replay topic: replays go to "
                    + Topics.AUDIT_REPLAY + " or a topic named " + PREFIX + "<name>");
        }
        return Optional.empty();
    }
}
