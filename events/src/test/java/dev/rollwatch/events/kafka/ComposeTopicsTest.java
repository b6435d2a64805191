package dev.rollwatch.events.kafka;

import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose's {@code kafka-init} creates the topics with a shell loop (the broker image has no Java of ours): its
 * list must be the one {@link TopicProvisioner} creates, or a compose stack gets a topic only when the first service
 * provisions it or auto-creation does (with whatever partition count that gives).
 */
class ComposeTopicsTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");
    private static final Pattern WARMUP = Pattern.compile(
            "--topic producer-warmup --partitions 1 --replication-factor 1 --config retention\\.ms=(\\d+)");
    private static final Pattern LOOP = Pattern.compile("for topic in (.*?); do", Pattern.DOTALL);

    @Test
    void composeCreatesEveryTopicTheProvisionerDoesAndTheirDeadLetterTopics() throws IOException {
        assumeTrue(Files.isRegularFile(COMPOSE), "run from the repository's events/ directory");
        Matcher loop = LOOP.matcher(Files.readString(COMPOSE));
        assertThat(loop.find()).as("kafka-init's topic loop in docker-compose.yml").isTrue();

        List<String> created = new ArrayList<>();
        for (String topic : Arrays.stream(loop.group(1).replace("\\", " ").trim().split("\\s+")).toList()) {
            created.add(topic);
            created.add(topic + ".dlq"); // the loop creates "$topic" and "$topic.dlq"
        }

        Matcher warmup = WARMUP.matcher(Files.readString(COMPOSE));
        assertThat(warmup.find()).as("kafka-init creates producer-warmup (1 partition, kept an hour)").isTrue();
        assertThat(warmup.group(1)).isEqualTo(TopicProvisioner.WARMUP_RETENTION_MS);
        created.add(Topics.PRODUCER_WARMUP);

        assertThat(created).containsExactlyInAnyOrderElementsOf(TopicProvisioner.allTopics());
    }
}
