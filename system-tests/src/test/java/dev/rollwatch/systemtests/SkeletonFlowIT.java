package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton through all five services, each its own process, over a real broker and database:
 * start a deployment, push breaching samples, and find the whole causal chain once, in order, in the audit log.
 * The breached check is P0, the runbooks' immediate-rollback row (since issue 15 a P1 asks an operator first:
 * {@code ConditionalDecisionIT}), so the chain runs at once.
 */
class SkeletonFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Stack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
    }

    @AfterAll
    static void printRss() {
        if (stack != null) {
            System.out.println("[system-tests] RSS (kB) per process after the flows: " + stack.rssKb());
        }
    }

    @Test
    void aBreachedCanaryIsRolledBackAndTheAuditLogHoldsTheWholeCausalChain() throws Exception {
        String service = "checkout-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Reply created = Http.post(stack.url("deploy-service", "/api/v1/deployments"), """
                {"service": "%s", "environment": "production", "version": "2.4.0", "previousVersion": "2.3.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 5}, {"pause": {}}, {"setWeight": 100}]},
                 "analysis": {"checks": [{"name": "error-rate", "provider": "push", "metric": "error_rate",
                                          "max": 0.01, "failureLimit": 1, "severity": "P0"}]}}
                """.formatted(service, stack.url("demo-target", "")));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
        String id = created.body().get("id").asText();

        // The monitor starts watching because it consumed DeploymentStarted, and the rollback service tracks the
        // deployment with the version it replaced (topics are consumed independently: a breach that reaches the
        // rollback service before the start is rolled back without naming toVersion, the deploy service then uses
        // the previous version it recorded — RollbackRequester#situation; this flow asserts the named one).
        await().atMost(WAIT).until(() -> Http.get(stack.url("monitor-service",
                "/api/v1/deployments/" + id + "/analysis")).status() == 200);
        await().atMost(WAIT).until(() -> "2.3.0".equals(Http.get(stack.url("rollback-service",
                "/api/v1/deployments/" + id)).body().path("previousVersion").asText()));

        long pushed = System.nanoTime();
        Http.Reply samples = Http.post(stack.url("monitor-service", "/api/v1/samples"), """
                {"deploymentId": "%s", "samples": [{"metric": "error_rate", "value": 0.08}]}""".formatted(id));
        assertThat(samples.status()).as(samples.body().toString()).isEqualTo(202);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> "ROLLED_BACK".equals(
                Http.get(stack.url("deploy-service", "/api/v1/deployments/" + id)).body().path("status").asText()));
        System.out.printf("[system-tests] sample pushed -> deployment ROLLED_BACK (seen over REST) in %d ms%n",
                (System.nanoTime() - pushed) / 1_000_000);

        // The target itself was told: 5% to the canary, then exactly one rollback to the previous version.
        JsonNode calls = Http.get(stack.url("demo-target", "/rollwatch/v1/calls?deploymentId=" + id)).body();
        List<String> kinds = new ArrayList<>();
        calls.forEach(c -> kinds.add(c.get("kind").asText().toLowerCase(java.util.Locale.ROOT)));
        assertThat(kinds).as(calls.toString()).containsExactly("traffic", "rollback");
        assertThat(calls.get(0).get("body").get("weight").asInt()).isEqualTo(5);
        assertThat(calls.get(1).get("body").get("toVersion").asText()).isEqualTo("2.3.0");

        // Every event of the chain is in the audit log exactly once, plus the notifications.
        Map<String, List<JsonNode>> byType = new LinkedHashMap<>();
        await().atMost(WAIT).untilAsserted(() -> {
            byType.clear();
            for (JsonNode entry : auditEntries(id)) {
                byType.computeIfAbsent(entry.get("event").get("type").asText(), t -> new ArrayList<>()).add(entry);
            }
            assertThat(byType).containsKeys("dev.rollwatch.deployment.started.v1",
                    "dev.rollwatch.threshold.breached.v1", "dev.rollwatch.rollback.requested.v1",
                    "dev.rollwatch.rollback.completed.v1", "dev.rollwatch.deployment.finished.v1",
                    "dev.rollwatch.notification.delivered.v1");
        });
        JsonNode startedE = only(byType, "dev.rollwatch.deployment.started.v1");
        JsonNode breach = only(byType, "dev.rollwatch.threshold.breached.v1");
        JsonNode request = only(byType, "dev.rollwatch.rollback.requested.v1");
        JsonNode completed = only(byType, "dev.rollwatch.rollback.completed.v1");
        JsonNode finished = only(byType, "dev.rollwatch.deployment.finished.v1");

        assertCausedBy(breach, startedE);
        assertCausedBy(request, breach);
        assertCausedBy(completed, request);
        assertCausedBy(finished, completed);
        // Positions are the order the log received events; topics are consumed independently, so two events of one
        // deployment on different topics may be appended in either order. Causal order is carried by causationid
        // (asserted above) and by the producers' times, which never run backwards along the chain.
        assertThat(List.of(startedE, breach, request, completed, finished))
                .extracting(e -> java.time.Instant.parse(e.get("event").get("time").asText())).isSorted();
        assertThat(breach.get("event").get("data").get("observed").get(0).asDouble()).isEqualTo(0.08);
        assertThat(request.get("event").get("data").get("toVersion").asText()).isEqualTo("2.3.0");
        assertThat(finished.get("event").get("data").get("outcome").asText()).isEqualTo("ROLLED_BACK");
        // Every notification is caused by an event of this deployment: its chain, or one of the runbooks' moments the
        // notifier also announces (a phase reached, the decisions taken on the way, the restored version's check).
        List<String> causes = new ArrayList<>(ids(startedE, breach, request, completed, finished));
        byType.forEach((type, entries) -> {
            if (!type.equals("dev.rollwatch.notification.delivered.v1")) {
                entries.forEach(e -> causes.add(id(e)));
            }
        });
        for (JsonNode delivered : byType.get("dev.rollwatch.notification.delivered.v1")) {
            assertThat(delivered.get("event").get("causationid").asText()).isIn(causes);
        }

        // The auditor's view: the timeline resolves breach -> decision -> rollback -> finish, with durations.
        Http.Reply timeline = Http.get(stack.url("audit-service", "/api/v1/audit/deployments/" + id + "/timeline"));
        assertThat(timeline.status()).as(timeline.body().toString()).isEqualTo(200);
        JsonNode rollback = timeline.body().get("rollbacks").get(0);
        assertThat(rollback.get("breaches").get(0).get("eventId").asText()).isEqualTo(id(breach));
        assertThat(rollback.get("decision").get("eventId").asText()).isEqualTo(id(request));
        assertThat(rollback.get("rollback").get("eventId").asText()).isEqualTo(id(completed));
        assertThat(rollback.get("finished").get("eventId").asText()).isEqualTo(id(finished));
        assertThat(rollback.get("durations").get("breachToRollbackDoneMs").asLong()).isNotNegative();
        System.out.printf("[system-tests] audit timeline durations: %s%n", rollback.get("durations"));

        Http.Reply verify = Http.get(stack.url("audit-service", "/api/v1/audit/verify"));
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.body().get("valid").asBoolean()).as(verify.body().toString()).isTrue();
    }

    @Test
    void everyRecordOfADeploymentIsACompleteCloudEventKeyedByTheDeploymentId() throws Exception {
        String service = "search-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Reply created = Http.post(stack.url("deploy-service", "/api/v1/deployments"), """
                {"service": "%s", "environment": "staging", "version": "7.0.0", "previousVersion": "6.9.0",
                 "target": {"url": "%s"},
                 "analysis": {"checks": [{"name": "error-rate", "provider": "push", "metric": "error_rate",
                                          "max": 0.01, "failureLimit": 1, "severity": "P0"}]}}"""
                .formatted(service, stack.url("demo-target", "")));
        assertThat(created.status()).isEqualTo(202);
        String id = created.body().get("id").asText();
        await().atMost(WAIT).until(() -> Http.get(stack.url("monitor-service",
                "/api/v1/deployments/" + id + "/analysis")).status() == 200);
        Http.Reply samples = Http.post(stack.url("monitor-service", "/api/v1/samples"),
                "{\"deploymentId\": \"" + id + "\", \"samples\": [{\"metric\": \"error_rate\", \"value\": 0.5}]}");
        assertThat(samples.status()).as(samples.body().toString()).isEqualTo(202);
        await().atMost(WAIT).until(() -> "ROLLED_BACK".equals(
                Http.get(stack.url("deploy-service", "/api/v1/deployments/" + id)).body().path("status").asText()));

        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka().bootstrap())) {
            for (String topic : List.of(Topics.DEPLOYMENT_STARTED, Topics.THRESHOLD_BREACHED,
                    Topics.ROLLBACK_REQUESTED, Topics.ROLLBACK_COMPLETED, Topics.DEPLOYMENT_FINISHED)) {
                List<ConsumerRecord<String, byte[]>> records = kafka.awaitRecords(topic,
                        r -> id.equals(r.key()), WAIT);
                ConsumerRecord<String, byte[]> record = records.get(records.size() - 1);
                var event = EventCodec.decode(record.value());
                assertThat(event.subject()).isEqualTo(id);
                assertThat(event.correlationId()).isEqualTo(id);
                assertThat(event.topic()).isEqualTo(topic);
                assertThat(KafkaTestClient.header(record, "content-type")).isEqualTo(EventCodec.CONTENT_TYPE);
                assertThat(EventCodec.encode(event)).isEqualTo(record.value());
            }
        }
    }

    private List<JsonNode> auditEntries(String deploymentId) throws Exception {
        Http.Reply reply = Http.get(stack.url("audit-service",
                "/api/v1/audit/events?deploymentId=" + deploymentId + "&limit=500"));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        JsonNode items = reply.body().isArray() ? reply.body()
                : reply.body().has("entries") ? reply.body().get("entries") : reply.body().get("items");
        List<JsonNode> entries = new ArrayList<>();
        items.forEach(entries::add);
        return entries;
    }

    private static JsonNode only(Map<String, List<JsonNode>> byType, String type) {
        assertThat(byType.get(type)).as("audit entries of " + type).hasSize(1);
        return byType.get(type).get(0);
    }

    private static void assertCausedBy(JsonNode effect, JsonNode cause) {
        assertThat(effect.get("event").get("causationid").asText())
                .as(effect.get("event").get("type") + " caused by " + cause.get("event").get("type"))
                .isEqualTo(cause.get("event").get("id").asText());
    }

    private static String id(JsonNode entry) {
        return entry.get("event").get("id").asText();
    }

    private static List<String> ids(JsonNode... entries) {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : entries) {
            ids.add(e.get("event").get("id").asText());
        }
        return ids;
    }
}
