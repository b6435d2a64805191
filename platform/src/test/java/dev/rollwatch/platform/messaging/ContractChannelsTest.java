package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An incoming channel named like a contract topic gets that topic and its {@code .dlq}; nothing else is answered. */
class ContractChannelsTest {

    private final ContractChannels source = new ContractChannels();

    @Test
    void aChannelNamedLikeAContractTopicConsumesItAndDeadLettersToItsDlq() {
        for (String topic : Topics.ALL) {
            assertThat(source.getValue("mp.messaging.incoming." + topic + ".topic")).isEqualTo(topic);
            assertThat(source.getValue("mp.messaging.incoming." + topic + ".dead-letter-queue.topic"))
                    .isEqualTo(topic + ".dlq");
        }
        assertThat(source.getValue("mp.messaging.incoming.metric-samples.dead-letter-queue.topic"))
                .isEqualTo("metric-samples.dlq");
    }

    @Test
    void otherChannelsOutgoingChannelsAndOtherSettingsAreLeftToTheirConfiguration() {
        assertThat(source.getValue("mp.messaging.incoming.audit-ingest.topic")).isNull();
        assertThat(source.getValue("mp.messaging.incoming.audit-replay.topic")).isNull();
        assertThat(source.getValue("mp.messaging.incoming.step-completed.dead-letter-queue.topic.extra")).isNull();
        assertThat(source.getValue("mp.messaging.incoming.step-completed.batch")).isNull();
        assertThat(source.getValue("mp.messaging.outgoing.step-completed.topic")).isNull();
        assertThat(source.getValue("mp.messaging.incoming..topic")).isNull();
        assertThat(source.getValue("kafka.topic")).isNull();
    }

    @Test
    void itListsNothingSoItCreatesNoChannelAndExplicitSettingsWin() {
        assertThat(source.getPropertyNames()).isEmpty();
        // application.properties is 250, META-INF/microprofile-config.properties 100.
        assertThat(source.getOrdinal()).isLessThan(100);
    }
}
