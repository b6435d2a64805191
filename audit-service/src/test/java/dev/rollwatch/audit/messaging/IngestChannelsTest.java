package dev.rollwatch.audit.messaging;

import dev.rollwatch.events.Topics;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log appends every contract topic: a topic of {@link Topics#ALL} the ingest did not subscribe to would
 * never be logged (and nothing else would notice). One batch channel for all of them, its subscription taken from the
 * contract (nothing in the configuration can narrow it), each record's last-resort dead letter on its own topic's
 * DLQ, the ingest's poll and fetch sizes (a poll is one append transaction), and the consumer group of before.
 */
class IngestChannelsTest {

    private static final String PREFIX = "mp.messaging.incoming." + IngestChannel.NAME + ".";

    @Test
    void oneChannelReadsEveryContractTopicAndNothingElse() {
        List<String> channels = Arrays.stream(AuditIngestConsumer.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Incoming.class))
                .map(m -> m.getAnnotation(Incoming.class).value())
                .toList();
        assertThat(channels).containsExactly(IngestChannel.NAME);

        List<String> topics = List.of(new IngestChannel().getValue(PREFIX + "topics").split(","));
        assertThat(topics).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(topics).as("inputs are not logged").doesNotContainAnyElementsOf(Topics.INPUTS);
    }

    @Test
    void theSubscriptionIsAConfigurationSourceOfTheServiceThatAnswersNothingElse() {
        assertThat(ServiceLoader.load(ConfigSource.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::type)).contains(IngestChannel.class);
        IngestChannel source = new IngestChannel();
        assertThat(source.getPropertyNames()).containsExactly(PREFIX + "topics");
        assertThat(source.getProperties()).containsOnlyKeys(PREFIX + "topics");
        assertThat(source.getValue(PREFIX + "topic")).isNull();
        assertThat(source.getValue(PREFIX + "batch")).isNull();
        assertThat(source.getValue("mp.messaging.incoming." + Topics.STEP_STARTED + ".topics")).isNull();
        // application.properties is 250, META-INF/microprofile-config.properties 100.
        assertThat(source.getOrdinal()).isLessThan(100);
    }

    @Test
    void theChannelReadsInBatchesWithItsOwnTopicsDeadLettersInTheGroupOfBefore() throws IOException {
        Properties config = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            assertThat(in).isNotNull();
            config.load(in);
        }
        assertThat(config.getProperty(PREFIX + "batch")).isEqualTo("true");
        assertThat(config.getProperty(PREFIX + "max.poll.records")).isEqualTo("5000");
        assertThat(config.getProperty(PREFIX + "fetch.min.bytes")).isEqualTo("65536");
        assertThat(config.getProperty(PREFIX + "fetch.max.wait.ms")).isEqualTo("100");
        assertThat(config.getProperty(PREFIX + "failure-strategy")).isEqualTo(PerTopicDeadLetterQueue.STRATEGY);
        assertThat(config).as("the subscription is the contract's, the dead letters go to each record's topic")
                .doesNotContainKeys(PREFIX + "topic", PREFIX + "topics", PREFIX + "pattern",
                        PREFIX + "dead-letter-queue.topic");
        // The group id is the application name, as it was for the channels of one topic each: committed offsets
        // (per group, topic and partition) carry over to an upgraded installation.
        assertThat(config.getProperty("quarkus.application.name")).isEqualTo("audit-service");
        assertThat(config).doesNotContainKeys(PREFIX + "group.id", "kafka.group.id",
                "mp.messaging.connector.smallrye-kafka.group.id");
        assertThat(config.stringPropertyNames()).as("no channel of one topic is left")
                .noneMatch(name -> name.startsWith("mp.messaging.incoming.") && !name.startsWith(PREFIX));
    }
}
