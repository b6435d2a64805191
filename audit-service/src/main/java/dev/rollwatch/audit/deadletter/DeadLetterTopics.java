package dev.rollwatch.audit.deadletter;

import dev.rollwatch.events.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which dead-letter topics the operator tool reads and which it may re-drive. It reads only the DLQs Rollwatch
 * provisions ({@code <topic>.dlq} of every contract topic, of {@code metric-samples} and of {@code audit-replay}); it
 * re-drives only {@code <contract topic>.dlq} to {@code <contract topic>} ({@link Topics#ALL}): never to an input topic
 * (old pushed samples would be judged as new), never to the replay topic, never anywhere a request names.
 */
public final class DeadLetterTopics {

    private DeadLetterTopics() {
    }

    /** Every dead-letter topic the tool reads. */
    public static List<String> readable() {
        List<String> names = new ArrayList<>();
        Topics.ALL.forEach(t -> names.add(Topics.dlq(t)));
        Topics.INPUTS.forEach(t -> names.add(Topics.dlq(t)));
        names.add(Topics.dlq(Topics.AUDIT_REPLAY));
        return List.copyOf(names);
    }

    public static boolean isReadable(String topic) {
        return topic != null && readable().contains(topic);
    }

    /** The contract topic a record of {@code dlqTopic} is re-driven to, or empty when that DLQ is not re-drivable. */
    public static Optional<String> redriveTarget(String dlqTopic) {
        return Topics.ALL.stream().filter(t -> Topics.dlq(t).equals(dlqTopic)).findFirst();
    }
}
