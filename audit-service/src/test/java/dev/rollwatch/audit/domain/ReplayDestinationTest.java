package dev.rollwatch.audit.domain;

import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayDestinationTest {

    @Test
    void noDestinationMeansTheReplayTopic() {
        assertThat(ReplayDestination.resolve(null)).isEqualTo("audit-replay");
        assertThat(ReplayDestination.resolve("  ")).isEqualTo("audit-replay");
        assertThat(ReplayDestination.resolve("audit-replay")).isEqualTo("audit-replay");
    }

    @Test
    void aTopicUnderTheReplayPrefixIsAccepted() {
        assertThat(ReplayDestination.resolve("audit-replay.forensics.case-42_replay"))
                .isEqualTo("audit-replay.forensics.case-42_replay");
    }

    @Test
    void aTopicOutsideTheReplayPrefixIsRefused() {
        for (String topic : new String[] {"forensics.case-42_replay", "audit-replay-case-42", "audit-replayed",
                "audit-replay.", "audit-checkpoints-copy", "my-topic"}) {
            assertThatThrownBy(() -> ReplayDestination.resolve(topic)).as(topic)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a replay topic");
        }
    }

    @Test
    void everyContractAndInputTopicIsRefused() {
        for (String topic : Topics.ALL) {
            assertThatThrownBy(() -> ReplayDestination.resolve(topic)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a contract topic");
        }
        assertThatThrownBy(() -> ReplayDestination.resolve(Topics.METRIC_SAMPLES))
                .hasMessageContaining("is a contract topic");
    }

    @Test
    void deadLetterInternalAndIllegalNamesAreRefused() {
        assertThatThrownBy(() -> ReplayDestination.resolve("audit-replay.dlq")).hasMessageContaining("dead-letter");
        assertThatThrownBy(() -> ReplayDestination.resolve("audit-replay.case.dlq")).hasMessageContaining("dead-letter");
        assertThatThrownBy(() -> ReplayDestination.resolve("deployment-started.dlq"))
                .hasMessageContaining("dead-letter");
        assertThatThrownBy(() -> ReplayDestination.resolve("__consumer_offsets")).hasMessageContaining("internal");
        assertThatThrownBy(() -> ReplayDestination.resolve("not a topic!")).hasMessageContaining("not a valid");
        assertThatThrownBy(() -> ReplayDestination.resolve("..")).hasMessageContaining("not a valid");
        assertThatThrownBy(() -> ReplayDestination.resolve("audit-replay." + "x".repeat(240)))
                .hasMessageContaining("not a valid");
    }
}
