package dev.rollwatch.audit.deadletter;

import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tool re-drives only a contract topic's DLQ, only to that topic. */
class DeadLetterTopicsTest {

    @Test
    void everyContractTopicsDlqRedrivesToItsTopic() {
        for (String topic : Topics.ALL) {
            assertThat(DeadLetterTopics.redriveTarget(topic + ".dlq")).contains(topic);
            assertThat(DeadLetterTopics.isReadable(topic + ".dlq")).isTrue();
        }
    }

    @Test
    void nothingElseIsRedriven() {
        for (String name : new String[] {"deployment-started", "metric-samples.dlq", "audit-replay.dlq",
                "audit-replay", "deployment-started.dlq.dlq", "other.dlq", "__consumer_offsets", ".dlq", "",
                "DEPLOYMENT-STARTED.dlq"}) {
            assertThat(DeadLetterTopics.redriveTarget(name)).as(name).isEmpty();
        }
        assertThat(DeadLetterTopics.redriveTarget(null)).isEmpty();
    }

    @Test
    void inputAndReplayDlqsAreReadButNotRedriven() {
        assertThat(DeadLetterTopics.isReadable("metric-samples.dlq")).isTrue();
        assertThat(DeadLetterTopics.isReadable("audit-replay.dlq")).isTrue();
        assertThat(DeadLetterTopics.isReadable("deployment-started")).isFalse();
        assertThat(DeadLetterTopics.isReadable("secrets")).isFalse();
    }
}
