package dev.rollwatch.notifier;

import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.notifier.domain.RouteMatcherTest;
import dev.rollwatch.notifier.domain.RouteRule;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.rollwatch.notifier.Alerts.WAIT;
import static dev.rollwatch.notifier.Alerts.awaitDeliveries;
import static dev.rollwatch.notifier.Alerts.deliveries;
import static dev.rollwatch.notifier.Alerts.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, item 12, over the real broker and database: each moment the runbooks name reaches the channels of its
 * default route exactly once, with the facts a person needs to act. No pagerduty or slack channel is configured here,
 * so the one log delivery's {@code fallbackFor} says which channels the route chose (as in EscalationRoutingIT).
 * The flood-control test routes a service to a real webhook receiver, where grouping and rate limits apply.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RunbookMomentsIT {

    private static KafkaTestClient kafka;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestClient.forTestBroker();
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        receiver.close();
    }

    /** Publishes the event and returns its only delivery (it must have exactly one, on the log channel). */
    static JsonPath once(Envelope<? extends EventData> event) {
        kafka.send(event);
        JsonPath history = awaitDeliveries(event.id(), 1);
        assertThat(history.getInt("total")).isEqualTo(1);
        assertThat(history.getString("items[0].channel")).isEqualTo("log");
        assertThat(history.getString("items[0].status")).isEqualTo("DELIVERED");
        assertThat(history.getInt("items[0].attempts")).isEqualTo(1);
        return history;
    }

    static Envelope<ThresholdBreached> down(String deploymentId, String service) {
        return Envelope.of("/rollwatch/monitor-service", deploymentId, new ThresholdBreached(service, "production",
                "2.4.0", "error-rate", "error_rate", null, List.of(300.0), 300, Operator.GTE, null, Severity.P0, 60,
                60, Instant.now(), 2, null, null, "builtin-v2", ThresholdBreached.KIND_UNAVAILABLE, null, null, null,
                null));
    }

    static Envelope<StepCompleted> step(String deploymentId, int index, StepKind kind, Integer weight) {
        return Envelope.of("/rollwatch/deploy-service", deploymentId, new StepCompleted(index, kind,
                StepOutcome.SUCCEEDED, weight, 120, null));
    }

    static Envelope<DeploymentStarted> started(String deploymentId, String service) {
        return Envelope.of("/rollwatch/deploy-service", deploymentId, new DeploymentStarted(service, "production",
                "2.4.0", "2.3.0", new Target("http", "http://127.0.0.1:8090", null),
                List.of(StepSpec.setWeight(5), StepSpec.analysis(Duration.ofMinutes(5)), StepSpec.setWeight(25)),
                null, "alice"));
    }

    static Envelope<BakeCheckpoint> checkpoint(String deploymentId, String service, int index) {
        return Envelope.of("/rollwatch/monitor-service", deploymentId, new BakeCheckpoint(service, "production",
                "2.4.0", Duration.ofMinutes(15L * index), index, 3, Duration.ofHours(1), Instant.now(),
                Verdict.SUCCESSFUL, index == 3, List.of(new CheckResult("error-rate", "error_rate",
                Verdict.SUCCESSFUL, 0.002, 0.001, 0.004, 180, 0, null))));
    }

    @Test
    void aConditionalDecisionPagesTheDecidersWithWhoByWhenTheDefaultAndHowToDecide() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("cond");
        Instant decideBy = Instant.parse("2026-03-02T14:32:00Z");
        Envelope<RollbackDecided> decision = Envelope.of("/rollwatch/rollback-service", deploymentId,
                new RollbackDecided(service, "production", "dec-" + deploymentId, RollbackDecided.CONDITIONAL,
                        "error-rate-1-5-after-1h", "error rate 2.1% > 1% after 1 h", Severity.P1, "error-rate", null,
                        null, UUID.randomUUID().toString(), null, decideBy, decideBy, "operator", "ROLLBACK",
                        "runbook@1", "001 conditional: error rate 1-5 % after 1 hour"));
        JsonPath delivery = once(decision);
        routedBy(delivery, "decision-page", "pagerduty", "slack");
        assertThat(delivery.getString("items[0].severity")).isEqualTo("P1");
        assertThat(delivery.getString("items[0].message"))
                .startsWith("[P1] Decision needed by 14:32 UTC: roll back " + service + " production?")
                .contains("Who decides: operator", "If nobody decides by then: ROLLBACK happens automatically",
                        "Respond within 15 min (P1), by 14:32 UTC",
                        "rollwatch decide dec-" + deploymentId + " rollback --reason",
                        "/api/v1/decisions/dec-" + deploymentId + "/resolve",
                        "001 conditional: error rate 1-5 % after 1 hour");
    }

    @Test
    void aGateWaitingTellsItsApproversOnSlackWithTheCommands() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("gate");
        JsonPath delivery = once(Envelope.of("/rollwatch/deploy-service", deploymentId, new ApprovalRequested(service,
                "production", "2.4.0", 3, "go/no-go gate after the canary", "operator", Instant.now())));
        routedBy(delivery, "approval-waiting", "slack");
        assertThat(delivery.getString("items[0].message"))
                .startsWith("Gate waiting: " + service + " production 2.4.0 waits for operator (step 4)")
                .contains("Why: go/no-go gate after the canary", "Who can decide: operator",
                        "rollwatch approve " + deploymentId, "rollwatch abort " + deploymentId);
    }

    @Test
    void aBakeCheckpointIsToldOnSlackWithItsFigures() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("bake");
        JsonPath delivery = once(checkpoint(deploymentId, service, 1));
        routedBy(delivery, "bake-checkpoint", "slack");
        assertThat(delivery.getString("items[0].severity")).isNull();
        assertThat(delivery.getString("items[0].message"))
                .startsWith("Bake checkpoint 1/3 (15 min): " + service + " production 2.4.0 SUCCESSFUL")
                .contains("- error-rate (error_rate): SUCCESSFUL, last 0.002 (min 0.001, max 0.004), "
                        + "180 measurement(s), 0 failure(s)");
    }

    @Test
    void anUnverifiedRollbackIsAP0Page() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("unver");
        JsonPath delivery = once(Envelope.of("/rollwatch/monitor-service", deploymentId, new RollbackVerified(service,
                "production", "2.3.0", RollbackVerified.UNVERIFIED, Duration.ofMinutes(30), Instant.now(),
                Instant.now(), "error-rate", "error rate 4.2% > 1% on the restored version", List.of())));
        routedBy(delivery, "verification-failed", "pagerduty", "slack");
        assertThat(delivery.getString("items[0].severity")).isEqualTo("P0");
        assertThat(delivery.getString("items[0].message"))
                .startsWith("[P0] Rollback UNVERIFIED: " + service + " production 2.3.0 is not healthy")
                .contains("Detail: error rate 4.2% > 1% on the restored version", "Respond within 5 min (P0)");
    }

    @Test
    void aTargetThatIsDownIsAP0Page() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("down");
        JsonPath delivery = once(down(deploymentId, service));
        routedBy(delivery, "p0-breach", "pagerduty", "slack");
        assertThat(delivery.getString("items[0].severity")).isEqualTo("P0");
        assertThat(delivery.getString("items[0].message"))
                .startsWith("[P0] " + service + " production 2.4.0: DOWN")
                .contains("no measurement of error_rate for 300 s (the outage window)", "Respond within 5 min (P0)");
    }

    @Test
    void aPhaseReachedBeforeItsDeploymentStartedWasConsumedStillNamesTheDeployment_otherStepsTellNobody() {
        String deploymentId = UUID.randomUUID().toString();
        String service = unique("phase");
        Envelope<StepCompleted> canary = step(deploymentId, 0, StepKind.SET_WEIGHT, 5);
        kafka.send(canary); // the step topic is consumed on its own: it may come before the DeploymentStarted
        Envelope<StepCompleted> analysis = step(deploymentId, 1, StepKind.ANALYSIS, 5);
        kafka.send(analysis);
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        kafka.send(started(deploymentId, service));

        JsonPath delivery = awaitDeliveries(canary.id(), 1);
        routedBy(delivery, "phase-reached", "slack");
        assertThat(delivery.getString("items[0].service")).isEqualTo(service);
        assertThat(delivery.getString("items[0].message"))
                .startsWith("Phase reached: " + service + " production 2.4.0 at 5 %")
                .contains("Step 1 of 3 (set weight)", "2.4.0 takes 5 % of the traffic, 2.3.0 95 %");

        Envelope<StepCompleted> marker = step(deploymentId, 2, StepKind.SET_WEIGHT, 25);
        kafka.send(marker); // same key, same partition: consumed after the analysis step
        assertThat(awaitDeliveries(marker.id(), 1).getString("items[0].message"))
                .startsWith("Phase reached: " + service + " production 2.4.0 at 25 %");
        assertThat(deliveries("eventId", analysis.id()).getInt("total")).isZero();
    }

    @Test
    void phasesAndCheckpointsAreNeverGroupedIntoEachOther_andAP0IsNeverGroupedNorHeldByTheRateLimit() {
        String channel = unique("moments");
        String path = "/" + channel;
        given().contentType(ContentType.JSON).body(Map.of("name", channel, "type", "webhook", "url",
                        receiver.url(path), "secret", dev.rollwatch.events.webhook.StandardWebhooks.newSecret()))
                .post("/api/v1/channels").then().statusCode(201);
        String service = unique("flood");
        given().contentType(ContentType.JSON).body(Map.of("name", "to-" + channel, "service", service,
                "channels", List.of(channel))).post("/api/v1/routes").then().statusCode(201);
        String deploymentId = UUID.randomUUID().toString();
        kafka.send(started(deploymentId, service));

        List<Envelope<? extends EventData>> told = List.of(step(deploymentId, 0, StepKind.SET_WEIGHT, 5),
                step(deploymentId, 2, StepKind.SET_WEIGHT, 25), step(deploymentId, 4, StepKind.SET_WEIGHT, 100),
                checkpoint(deploymentId, service, 1), checkpoint(deploymentId, service, 2),
                checkpoint(deploymentId, service, 3));
        told.forEach(kafka::send);
        // Two pages for the same P0 within the flood window (4 s in tests): both go out.
        Envelope<ThresholdBreached> firstPage = down(deploymentId, service);
        Envelope<ThresholdBreached> secondPage = down(deploymentId, service);
        kafka.send(firstPage);
        kafka.send(secondPage);

        for (Envelope<? extends EventData> event : told) {
            assertThat(statusOn(event.id(), channel)).as(event.type().type()).isEqualTo("DELIVERED");
        }
        assertThat(statusOn(firstPage.id(), channel)).isEqualTo("DELIVERED");
        assertThat(statusOn(secondPage.id(), channel)).isEqualTo("DELIVERED");
        // One delivery per event and channel, none GROUPED; the receiver got every one of them (on a loaded machine
        // a send may time out and be retried with the same webhook-id, which a Standard Webhooks receiver dedups).
        for (Envelope<? extends EventData> event : List.of(told, List.of(firstPage, secondPage)).stream()
                .flatMap(List::stream).toList()) {
            assertThat(deliveries("eventId", event.id()).getList("items.channel", String.class))
                    .as(event.type().type()).containsOnlyOnce(channel);
        }
        await().atMost(WAIT).until(() -> receiver.requests(path).stream().map(r -> r.header("webhook-id"))
                .collect(Collectors.toSet()).containsAll(List.of(firstPage.id(), secondPage.id())));
        List<String> received = receiver.requests(path).stream().map(r -> r.header("webhook-id")).toList();
        told.forEach(e -> assertThat(received).contains(e.id()));
    }

    @Test
    void theDatabaseHoldsExactlyTheDefaultRoutesTheTablesTestUses() {
        List<Map<String, Object>> builtin = given().get("/api/v1/routes").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.builtin }");
        Map<String, String> actual = builtin.stream().collect(Collectors.toMap(r -> (String) r.get("name"),
                r -> r.get("eventType") + "|" + r.get("severity") + "|" + r.get("channels")));
        Map<String, String> expected = RouteMatcherTest.DEFAULTS.stream().collect(Collectors.toMap(RouteRule::name,
                r -> (r.kind() == null ? null : r.kind().slug()) + "|" + r.severity() + "|" + r.channels()));
        assertThat(actual).isEqualTo(expected);
    }

    static final Set<String> RUNBOOK_CHANNELS = Set.of("pagerduty", "slack", "oncall-webhook");

    /**
     * The one log delivery was chosen by exactly {@code route} among the default routes, for exactly
     * {@code channels} among the runbook's channels (other ITs in this JVM add routes of their own, e.g. a
     * catch-all to the log channel, which may add themselves to the same delivery).
     */
    static void routedBy(JsonPath delivery, String route, String... channels) {
        Set<String> defaults = RouteMatcherTest.DEFAULTS.stream().map(RouteRule::name).collect(Collectors.toSet());
        assertThat(delivery.getList("items[0].routes", String.class)).filteredOn(defaults::contains)
                .containsExactly(route);
        assertThat(delivery.getList("items[0].fallbackFor", String.class)).filteredOn(RUNBOOK_CHANNELS::contains)
                .containsExactlyInAnyOrder(channels);
    }

    /** The status of the delivery of {@code eventId} on {@code channel}, once it is final. */
    static String statusOn(String eventId, String channel) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath history = deliveries("eventId", eventId);
            List<String> channels = history.getList("items.channel", String.class);
            int i = channels.indexOf(channel);
            return i < 0 ? null : history.getString("items[" + i + "].status");
        }, status -> status != null && !"PENDING".equals(status));
    }
}
