package dev.rollwatch.monitor;

import com.sun.net.httpserver.HttpServer;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Topics;
import dev.rollwatch.monitor.messaging.PartitionOwnership;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second instance takes over part of the polling instead of measuring every deployment again. The second member
 * of the {@code monitor-service} consumer group is a plain Kafka consumer here (it commits nothing, so the records
 * it is handed are read again by this instance once it leaves): while it holds some partitions of
 * {@code deployment-started}, this instance stops scraping the deployments keyed to them and keeps scraping the
 * rest; when it leaves, this instance takes them back.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class PartitionSharingIT {

    private static KafkaTestClient kafka;
    private static HttpServer target;
    /** Scrapes served per deployment id. */
    private static final Map<String, AtomicInteger> scrapes = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        kafka = KafkaTestClient.forTestBroker();
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            String id = exchange.getRequestURI().getPath().split("/")[1];
            int n = scrapes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = """
                    http_requests_total{service="sharing",version="2.4.0",code="200"} %d
                    """.formatted(100 * n).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        target.start();
    }

    @AfterAll
    static void stop() {
        target.stop(0);
        kafka.close();
    }

    static int scraped(String id) {
        AtomicInteger n = scrapes.get(id);
        return n == null ? 0 : n.get();
    }

    static Map<String, Integer> counts(List<String> ids) {
        return ids.stream().collect(Collectors.toMap(id -> id, PartitionSharingIT::scraped));
    }

    @Test
    void aSecondGroupMemberTakesOverTheWatchesOfItsPartitionsAndHandsThemBackWhenItLeaves() throws Exception {
        int partitions = partitionCount();
        // Two deployments on every partition.
        Map<Integer, List<String>> byPartition = new HashMap<>();
        while (byPartition.values().stream().mapToInt(List::size).sum() < 2 * partitions) {
            String id = Deployments.newId();
            List<String> ids = byPartition.computeIfAbsent(PartitionOwnership.partitionOf(id, partitions),
                    p -> new ArrayList<>());
            if (ids.size() < 2) {
                ids.add(id);
            }
        }
        List<String> all = byPartition.values().stream().flatMap(List::stream).toList();
        CheckSpec check = new CheckSpec("error-rate", "scrape", "error_rate", null, null, 0.01,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 4, Severity.P1);
        String base = "http://127.0.0.1:" + target.getAddress().getPort() + "/";
        for (String id : all) {
            Deployments.startWatch(kafka, id, "sharing", List.of(check), base + id + "/metrics");
        }
        // Alone in the group, this instance polls every watch.
        await().atMost(WAIT).until(() -> all.stream().allMatch(id -> scraped(id) >= 2));

        AtomicReference<Set<Integer>> taken = new AtomicReference<>(Set.of());
        CountDownLatch leave = new CountDownLatch(1);
        Thread member = new Thread(() -> secondMember(taken, leave), "second-group-member");
        member.start();
        try {
            await().atMost(WAIT).until(() -> !taken.get().isEmpty());
            Set<Integer> theirs = taken.get();
            assertThat(theirs).hasSizeLessThan(partitions);
            List<String> moved = all.stream()
                    .filter(id -> theirs.contains(PartitionOwnership.partitionOf(id, partitions))).toList();
            List<String> kept = all.stream().filter(id -> !moved.contains(id)).toList();

            // This instance gave the partitions up before the member got them. A polling round already under way
            // may still finish; two more scrapes of the kept watches mean a round that began afterwards is running.
            Map<String, Integer> atHandOver = counts(all);
            await().atMost(WAIT).until(() -> kept.stream().allMatch(id -> scraped(id) >= atHandOver.get(id) + 2));
            Map<String, Integer> before = counts(all);
            await().atMost(WAIT).until(() -> kept.stream().allMatch(id -> scraped(id) >= before.get(id) + 3));
            assertThat(counts(moved)).as("watches of the partitions the other member holds")
                    .isEqualTo(moved.stream().collect(Collectors.toMap(id -> id, before::get)));
        } finally {
            leave.countDown();
            member.join(30_000);
        }

        // The member left: this instance polls every watch again.
        Map<String, Integer> afterLeaving = counts(all);
        await().atMost(WAIT).until(() -> all.stream().allMatch(id -> scraped(id) >= afterLeaving.get(id) + 2));
    }

    static Map<String, Object> consumerConfig() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, ConfigProvider.getConfig().getValue("quarkus.application.name",
                        String.class),
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConfigProvider.getConfig()
                        .getOptionalValue("mp.messaging.connector.smallrye-kafka.group.protocol", String.class)
                        .orElse("consumer"),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    static int partitionCount() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            return c.partitionsFor(Topics.DEPLOYMENT_STARTED).size();
        }
    }

    /** Joins the monitor's group on deployment-started and stays (polling, committing nothing) until told to leave. */
    static void secondMember(AtomicReference<Set<Integer>> taken, CountDownLatch leave) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig())) {
            c.subscribe(List.of(Topics.DEPLOYMENT_STARTED));
            while (leave.getCount() > 0) {
                c.poll(Duration.ofMillis(200));
                taken.set(c.assignment().stream().map(TopicPartition::partition).collect(Collectors.toSet()));
            }
        }
    }
}
