package dev.rollwatch.audit.messaging;

import dev.rollwatch.events.Topics;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log appends every contract topic: a topic added to {@link Topics#ALL} without its channel here would
 * never be logged (and nothing else would notice). One batch channel per topic, named like it, with its DLQ and
 * the ingest's poll and fetch sizes (a poll is one append transaction).
 */
class IngestChannelsTest {

    @Test
    void everyContractTopicHasAnIngestChannelAndNothingElseDoes() {
        List<String> channels = Arrays.stream(AuditIngestConsumer.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Incoming.class))
                .map(IngestChannelsTest::channel)
                .toList();

        assertThat(channels).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(channels).as("inputs are not logged").doesNotContainAnyElementsOf(Topics.INPUTS);
    }

    @Test
    void everyChannelReadsItsTopicInBatchesWithItsDeadLetterTopic() throws IOException {
        Properties config = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            assertThat(in).isNotNull();
            config.load(in);
        }
        for (String topic : Topics.ALL) {
            String prefix = "mp.messaging.incoming." + topic + ".";
            assertThat(config.getProperty(prefix + "topic")).as(prefix + "topic").isEqualTo(topic);
            assertThat(config.getProperty(prefix + "dead-letter-queue.topic")).as(prefix + "dead-letter-queue.topic")
                    .isEqualTo(Topics.dlq(topic));
            assertThat(config.getProperty(prefix + "batch")).as(prefix + "batch").isEqualTo("true");
            assertThat(config.getProperty(prefix + "max.poll.records")).as(prefix + "max.poll.records")
                    .isEqualTo("5000");
            assertThat(config.getProperty(prefix + "fetch.min.bytes")).as(prefix + "fetch.min.bytes")
                    .isEqualTo("65536");
            assertThat(config.getProperty(prefix + "fetch.max.wait.ms")).as(prefix + "fetch.max.wait.ms")
                    .isEqualTo("100");
        }
    }

    private static String channel(Method method) {
        return method.getAnnotation(Incoming.class).value();
    }
}
