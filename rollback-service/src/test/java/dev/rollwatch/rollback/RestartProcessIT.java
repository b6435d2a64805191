package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.ServiceProcess;
import dev.rollwatch.testsupport.TestKafka;
import dev.rollwatch.testsupport.TestPostgres;
import dev.rollwatch.testsupport.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged rollback-service as its own process, killed with SIGKILL while it is deciding a burst of P1 breaches
 * (each delivered twice) and while a P2 episode waits for its window, then started again: every P1 deployment gets
 * exactly one RollbackRequested (distinct event ids on Kafka) and one decision, the pending P2 window still fires after
 * the restart, and no decision is lost.
 *
 * <p>Not a {@code @QuarkusTest}, and run by failsafe's {@code process} execution in a JVM of its own (see the pom):
 * the process is the only rollback-service consuming from this JVM's broker and writing to its database.
 */
class RestartProcessIT {

    private static final int P1_DEPLOYMENTS = 60;
    private static final Duration P2_WINDOW = Duration.ofSeconds(12);
    private static final String MONITOR = "/rollwatch/monitor-service";
    private static final String DEPLOY = "/rollwatch/deploy-service";

    private static ServiceProcess rollback;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void launch() throws Exception {
        Map<String, String> env = Map.of(
                "ROLLWATCH_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers(),
                "ROLLWATCH_DB_URL", TestPostgres.jdbcUrl(),
                "ROLLWATCH_DB_USER", TestPostgres.USER,
                "ROLLWATCH_DB_PASSWORD", TestPostgres.PASSWORD);
        Path root = Path.of(System.getProperty("rollwatch.root", "..")).toAbsolutePath().normalize();
        kafka = KafkaTestClient.forTestBroker();
        rollback = ServiceProcess.launch(root, "rollback-service", env,
                root.resolve("rollback-service/target/process-logs"),
                "-Drollwatch.rollback.persistence-check-interval=500ms");
        rollback.awaitReady(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() {
        if (rollback != null) {
            rollback.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aServiceKilledWhileDecidingNeitherLosesNorRepeatsADecision() throws Exception {
        String environment = "restart-" + UUID.randomUUID().toString().substring(0, 8);

        // Many deployments, each about to get a P1 breach, and one whose P2 episode will wait for its window.
        String p2Service = "pending-p2";
        api().contentType(ContentType.JSON).body("{\"repeatWindow\": \"" + P2_WINDOW.toSeconds()
                + "s\", \"reason\": \"restart test\"}")
                .put("/api/v1/policies/" + p2Service + "/" + environment).then().statusCode(200);
        String p2 = UUID.randomUUID().toString();
        kafka.send(started(p2, p2Service, environment));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < P1_DEPLOYMENTS; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            kafka.send(started(id, "svc-" + i, environment));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                .allMatch(id -> api().get("/api/v1/deployments/" + id).statusCode() == 200));

        // The P2 episode is alerted on; its 12s window starts.
        Envelope<ThresholdBreached> p2Breach = breach(p2, p2Service, environment, Severity.P2);
        kafka.send(p2Breach);
        await().atMost(Duration.ofSeconds(60)).until(() -> decisions(p2).size() == 1);

        Map<String, String> breachOf = new HashMap<>();
        List<Envelope<ThresholdBreached>> breaches = new ArrayList<>();
        for (int i = 0; i < P1_DEPLOYMENTS; i++) {
            Envelope<ThresholdBreached> b = breach(ids.get(i), "svc-" + i, environment, Severity.P0);
            breaches.add(b);
            breachOf.put(ids.get(i), b.id());
        }
        // The monitor sends the burst (each breach twice: at-least-once) while the service decides...
        Thread monitor = new Thread(() -> {
            for (Envelope<ThresholdBreached> b : breaches) {
                kafka.send(b);
                kafka.send(b);
                sleep(15);
            }
        }, "burst");
        monitor.start();
        // ...and the service dies in the middle of it, the P2 window still pending.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> rollbacks(environment) >= 10);
        int p2DecisionsBeforeKill = decisions(p2).size();
        rollback.kill();
        Instant killedAt = Instant.now();
        assertThat(p2DecisionsBeforeKill).as("the P2 window was still pending at the kill").isEqualTo(1);
        monitor.join(60_000);
        long decidedBeforeKill = countDecisionsOnKafka(ids);

        rollback.restart();
        rollback.awaitReady(Duration.ofSeconds(180));
        Instant readyAt = Instant.now();

        await().atMost(Duration.ofSeconds(90)).until(() -> rollbacks(environment) >= P1_DEPLOYMENTS + 1);
        // Let redeliveries and outbox sweeps settle, then count: nothing is repeated.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> rollbacks(environment) == P1_DEPLOYMENTS + 1);

        for (String id : ids) {
            List<Map<String, Object>> decided = decisions(id);
            assertThat(decided).as("decisions of " + id).singleElement().satisfies(d -> assertThat(d)
                    .containsEntry("action", "ROLLBACK").containsEntry("rule", "p0-immediate")
                    .containsEntry("breachEventId", breachOf.get(id)));
        }
        List<Map<String, Object>> p2Decisions = decisions(p2);
        assertThat(p2Decisions).extracting(d -> d.get("rule")).containsExactly("p2-below-repeat-limit",
                "p2-persisted");
        Instant followUpAt = Instant.parse((String) p2Decisions.get(1).get("decidedAt"));
        assertThat(followUpAt).as("the pending window fired after the restart").isAfter(killedAt);

        Set<String> all = new HashSet<>(ids);
        all.add(p2);
        Map<String, List<Envelope<RollbackRequested>>> requested = rollbackRequests(all);
        for (String id : ids) {
            assertThat(requested.get(id)).as("RollbackRequested of " + id).isNotEmpty();
            assertThat(requested.get(id).stream().map(Envelope::id).distinct()).as("distinct RollbackRequested of " + id)
                    .hasSize(1);
            assertThat(requested.get(id).get(0).causationId()).isEqualTo(breachOf.get(id));
        }
        assertThat(requested.get(p2).stream().map(Envelope::id).distinct()).hasSize(1);
        assertThat(requested.get(p2).get(0).data().policyRule()).isEqualTo("p2-persisted");
        assertThat(requested.get(p2).get(0).causationId()).isEqualTo(p2Breach.id());
        long records = requested.values().stream().mapToLong(List::size).sum();
        System.out.printf("[rollback-service] SIGKILL after %d of %d P1 rollbacks were on Kafka; restarted and ready "
                + "%d ms after the kill; %d RollbackRequested records for %d deployments (%d distinct ids); P2 "
                + "follow-up decided %d ms after the kill%n", decidedBeforeKill, P1_DEPLOYMENTS,
                Duration.between(killedAt, readyAt).toMillis(), records, P1_DEPLOYMENTS + 1,
                requested.values().stream().mapToLong(l -> l.stream().map(Envelope::id).distinct().count()).sum(),
                Duration.between(killedAt, followUpAt).toMillis());
    }

    private static RequestSpecification api() {
        // Not a @QuarkusTest: no default token filter in this JVM, so the token is given here.
        return RestAssured.given().baseUri("http://127.0.0.1").port(rollback.port)
                .header("Authorization", TestTokens.authorization());
    }

    private static List<Map<String, Object>> decisions(String deploymentId) {
        List<Map<String, Object>> items = new ArrayList<>(api().queryParam("deploymentId", deploymentId)
                .queryParam("size", 200).get("/api/v1/decisions").then().statusCode(200).extract().jsonPath()
                .getList("items"));
        java.util.Collections.reverse(items);
        return items;
    }

    /** ROLLBACK decisions recorded in the environment (0 while the service is down). */
    private static int rollbacks(String environment) {
        try {
            return api().queryParam("environment", environment).queryParam("action", "ROLLBACK")
                    .queryParam("size", 1).get("/api/v1/decisions").then().statusCode(200).extract().path("total");
        } catch (RuntimeException down) {
            return 0;
        }
    }

    private static long countDecisionsOnKafka(List<String> ids) {
        return rollbackRequests(new HashSet<>(ids)).values().stream().filter(l -> !l.isEmpty()).count();
    }

    /** Every RollbackRequested on the topic about one of {@code ids}, by deployment, reading to the end. */
    private static Map<String, List<Envelope<RollbackRequested>>> rollbackRequests(Set<String> ids) {
        Map<String, List<Envelope<RollbackRequested>>> byKey = new HashMap<>();
        ids.forEach(id -> byKey.put(id, new ArrayList<>()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-check-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROLLBACK_REQUESTED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + Topics.ROLLBACK_REQUESTED + " to its end");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (ids.contains(r.key())) {
                        byKey.get(r.key()).add(EventCodec.decode(r.value()).as(RollbackRequested.class));
                    }
                }
            }
        }
        return byKey;
    }

    private static Envelope<DeploymentStarted> started(String id, String service, String environment) {
        return Envelope.of(DEPLOY, id, new DeploymentStarted(service, environment, "2.0.0", "1.0.0",
                new Target("http", "http://127.0.0.1:8090", null), List.of(StepSpec.setWeight(100)), null, "alice"));
    }

    private static Envelope<ThresholdBreached> breach(String id, String service, String environment,
            Severity severity) {
        return Envelope.of(MONITOR, id, new ThresholdBreached(service, environment, "2.0.0", "error-rate",
                "error_rate", "error_rate", List.of(0.08), 0.01, Operator.GT, Duration.ofSeconds(30), severity, 1, 1,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
