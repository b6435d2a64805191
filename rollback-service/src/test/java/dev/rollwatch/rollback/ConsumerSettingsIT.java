package dev.rollwatch.rollback;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every consumer channel of the running service waits ten minutes for a broker that is down (platform
 * {@code ConsumerDefaults}), instead of Kafka's 60 s after which the channel failed for good.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ConsumerSettingsIT {

    @Inject
    KafkaClientService kafka;

    @Test
    void everyConsumerChannelWaitsOutABrokerOutage() {
        assertThat(kafka.getConsumerChannels()).contains("threshold-breached", "deployment-started");
        for (String channel : kafka.getConsumerChannels()) {
            Map<String, ?> config = kafka.getConsumer(channel).configuration();
            assertThat(String.valueOf(config.get("default.api.timeout.ms"))).as("consumer of %s", channel)
                    .isEqualTo("600000");
        }
    }
}
