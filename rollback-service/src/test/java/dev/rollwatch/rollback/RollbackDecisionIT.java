package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.actions;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RollbackDecisionIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aP0BreachRequestsOneRollbackToThePreviousVersionAndLaterBreachesAttachToIt() {
        String service = unique("checkout");
        String id = Fixtures.start(kafka, service, "2.4.0", "2.3.0");
        Instant observedAt = Instant.now().minusMillis(25);
        Envelope<ThresholdBreached> first = breach(id, service, "2.4.0", Severity.P0, "error-rate", observedAt);
        kafka.send(first);

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.key()).isEqualTo(id);
        assertThat(rollback.source()).isEqualTo("/rollwatch/rollback-service");
        assertThat(rollback.causationId()).isEqualTo(first.id());
        assertThat(rollback.data()).usingRecursiveComparison().ignoringFields("reason", "respondBy").isEqualTo(
                new RollbackRequested(service, "production", Trigger.AUTOMATIC, "-", List.of(first.id()),
                        "p0-immediate", 2, "2.4.0", "2.3.0", "rollback-service", first.data().observedAt(),
                        Severity.P0, null, "runbook@1", "002 P0 (Critical) < 5 min: Immediate rollback"));
        assertThat(rollback.data().respondBy()).as("P0: within 5 minutes").isNotNull();
        assertThat(rollback.data().reason()).contains("error_rate 0.08 > 0.01");

        // A second breach attaches; the first one redelivered changes nothing; a third one attaches too.
        Envelope<ThresholdBreached> second = breach(id, service, "2.4.0", Severity.P0, "latency", Instant.now());
        kafka.send(second);
        kafka.send(first);
        kafka.send(breach(id, service, "2.4.0", Severity.P2, "latency", Instant.now()));
        List<Map<String, Object>> decisions = awaitDecisions(id, 3);

        assertThat(actions(decisions)).containsExactly("ROLLBACK", "ATTACHED", "ATTACHED");
        Map<String, Object> decided = decisions.get(0);
        assertThat(decided).containsEntry("rule", "p0-immediate").containsEntry("breachEventId", first.id())
                .containsEntry("policyVersion", 2).containsEntry("toVersion", "2.3.0")
                .containsEntry("rollbackEventId", rollback.id()).containsEntry("status", "OPEN");
        assertThat(decisions.get(1)).containsEntry("relatedDecision", decided.get("id"))
                .containsEntry("breachEventId", second.id()).containsEntry("rule", "rollback-already-requested");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).hasSize(1);
        given().get("/api/v1/deployments/" + id).then().body("state", equalTo("ROLLING_BACK"))
                .body("rollbackDecisionId", equalTo(decided.get("id")));
    }

    @Test
    void aP2AlertsUntilItRepeatsThreeTimesWithinTheWindowThenRollsBack() {
        String service = unique("payments");
        String id = Fixtures.start(kafka, service, "5.1.0", "5.0.3");
        Instant now = Instant.now();
        Envelope<ThresholdBreached> b1 = breach(id, service, "5.1.0", Severity.P2, "p95-latency",
                now.minus(Duration.ofMinutes(3)));
        Envelope<ThresholdBreached> b2 = breach(id, service, "5.1.0", Severity.P2, "p95-latency",
                now.minus(Duration.ofMinutes(1)));
        Envelope<ThresholdBreached> b3 = breach(id, service, "5.1.0", Severity.P2, "p95-latency", now);

        kafka.send(b1);
        assertThat(awaitDecisions(id, 1)).singleElement().satisfies(d -> assertThat(d)
                .containsEntry("action", "ALERT").containsEntry("rule", "p2-below-repeat-limit"));
        kafka.send(b2);
        kafka.send(b3);

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("p2-repeated");
        assertThat(rollback.data().breachEventIds()).containsExactly(b1.id(), b2.id(), b3.id());
        assertThat(rollback.causationId()).isEqualTo(b3.id());
        assertThat(rollback.data().toVersion()).isEqualTo("5.0.3");
        assertThat(actions(awaitDecisions(id, 3))).containsExactly("ALERT", "ALERT", "ROLLBACK");
    }

    @Test
    void p2BreachesThatNeverReachThreeWithinTheWindowOnlyAlertAndP3OnlyNotifies() {
        String service = unique("search");
        String id = Fixtures.start(kafka, service, "1.1.0", "1.0.0");
        Instant now = Instant.now();
        kafka.send(breach(id, service, "1.1.0", Severity.P2, "success-rate", now.minus(Duration.ofMinutes(12))));
        kafka.send(breach(id, service, "1.1.0", Severity.P2, "success-rate", now.minus(Duration.ofMinutes(4))));
        kafka.send(breach(id, service, "1.1.0", Severity.P2, "success-rate", now));
        kafka.send(breach(id, service, "1.1.0", Severity.P3, "memory-growth", now));

        List<Map<String, Object>> decisions = awaitDecisions(id, 4);

        assertThat(actions(decisions)).containsExactly("ALERT", "ALERT", "ALERT", "NOTIFY");
        assertThat(decisions.get(2).get("reason").toString()).contains("occurrence 2 of 3 within 5m");
        assertThat(decisions.get(3)).containsEntry("rule", "p3-notify").containsEntry("severity", "P3");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void theLastKnownGoodVersionIsTheRollbackTarget() {
        String service = unique("orders");
        String good = Fixtures.start(kafka, service, "3.0.0", "2.9.0");
        kafka.send(Fixtures.finished(good, service, "3.0.0", DeploymentOutcome.SUCCEEDED));
        await().atMost(WAIT).until(() -> given()
                .get("/api/v1/services/" + service + "/environments/production/last-known-good").statusCode() == 200);
        given().get("/api/v1/services/" + service + "/environments/production/last-known-good")
                .then().body("version", equalTo("3.0.0")).body("deploymentId", equalTo(good));

        // The next deployment says it replaces 2.9.0 (stale); the last known good 3.0.0 wins.
        String bad = Fixtures.start(kafka, service, "3.1.0", "2.9.0");
        kafka.send(breach(bad, service, "3.1.0", Severity.P0, "error-rate", Instant.now()));

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, bad,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().toVersion()).isEqualTo("3.0.0");
        assertThat(rollback.data().fromVersion()).isEqualTo("3.1.0");
    }

    @Test
    void aFirstDeploymentHasNoKnownGoodVersionSoAP1IsHeldAndPagedInsteadOfRolledBackToNothing() {
        String service = unique("brand-new");
        String id = Fixtures.start(kafka, service, "1.0.0", null);
        given().get("/api/v1/services/" + service + "/environments/production/last-known-good").then()
                .statusCode(404);
        Envelope<ThresholdBreached> p1 = breach(id, service, "1.0.0", Severity.P0, "error-rate", Instant.now());
        kafka.send(p1);

        Map<String, Object> held = awaitDecisions(id, 1).get(0);
        assertThat(held).containsEntry("action", "ALERT").containsEntry("rule", "no-known-good-version")
                .containsEntry("breachEventId", p1.id()).containsEntry("toVersion", null)
                .containsEntry("rollbackEventId", null);
        assertThat((String) held.get("reason")).contains("rule p0-immediate would roll back")
                .contains("no known good version to roll back to");
        RollbackDecided paged = kafka.awaitEvent(Topics.ROLLBACK_DECISIONS, id, RollbackDecided.class, WAIT).data();
        assertThat(paged.action()).isEqualTo(RollbackDecided.HOLD);
        assertThat(paged.rule()).isEqualTo("no-known-good-version");
        assertThat(paged.decisionId()).isEqualTo(held.get("id"));
        given().get("/api/v1/deployments/" + id).then().body("state", equalTo("ACTIVE"));

        // An operator asking for a rollback is told why there is none, and nothing is recorded.
        given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"reason\": \"broken\"}")
                .post("/api/v1/deployments/" + id + "/rollback").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/no-known-good-version"))
                .body("detail", org.hamcrest.Matchers.containsString("no version to roll back to"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(13))
                .until(() -> Fixtures.decisions(id).size() == 1);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void aBreachSeenBeforeItsDeploymentStartedStillRollsBackTheDeployServiceKnowsWhereTo() {
        // Nothing known about the service: the rollback names no toVersion (the deploy service rolls back to the
        // previous version it recorded itself); this service cannot know yet that there is none.
        String unknownService = unique("early");
        String early = UUID.randomUUID().toString();
        kafka.send(breach(early, unknownService, "2.0.0", Severity.P0, "error-rate", Instant.now()));
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, early,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("p0-immediate");
        assertThat(rollback.data().toVersion()).isNull();

        // With a last known good version, that is the target even before the start is seen.
        String service = unique("early-known");
        String good = Fixtures.start(kafka, service, "4.0.0", null);
        kafka.send(Fixtures.finished(good, service, "4.0.0", DeploymentOutcome.SUCCEEDED));
        await().atMost(WAIT).until(() -> given()
                .get("/api/v1/services/" + service + "/environments/production/last-known-good").statusCode() == 200);
        String next = UUID.randomUUID().toString();
        kafka.send(breach(next, service, "4.1.0", Severity.P0, "error-rate", Instant.now()));
        assertThat(kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, next, RollbackRequested.class, WAIT).data()
                .toVersion()).isEqualTo("4.0.0");
    }

    @Test
    void aFailedSmokeStepRollsBackImmediatelyAndOtherStepsDecideNothing() {
        String service = unique("smoke");
        String id = Fixtures.start(kafka, service, "1.5.0", "1.4.0");
        kafka.send(Envelope.of(Fixtures.DEPLOY, id, new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED,
                5, 10, null)));
        Envelope<StepCompleted> smoke = Envelope.of(Fixtures.DEPLOY, id, new StepCompleted(1, StepKind.SMOKE,
                StepOutcome.FAILED, 5, 900, "GET /health returned 503"));
        kafka.send(smoke);

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.causationId()).isEqualTo(smoke.id());
        assertThat(rollback.data().breachEventIds()).containsExactly(smoke.id());
        assertThat(rollback.data().toVersion()).isEqualTo("1.4.0");
        assertThat(rollback.data().reason()).contains("smoke checks failed (GET /health returned 503)");
        assertThat(awaitDecisions(id, 1)).singleElement().satisfies(d -> assertThat(d)
                .containsEntry("action", "ROLLBACK").containsEntry("check", "smoke-step-1")
                .containsEntry("severity", "P1"));
    }

    @Test
    void aBreachForAFinishedDeploymentIsRecordedAsIgnored() {
        String service = unique("cart");
        String id = Fixtures.start(kafka, service, "7.0.0", "6.9.0");
        kafka.send(Fixtures.finished(id, service, "7.0.0", DeploymentOutcome.SUCCEEDED));
        await().atMost(WAIT).until(() -> "FINISHED".equals(
                given().get("/api/v1/deployments/" + id).then().extract().path("state")));

        kafka.send(breach(id, service, "7.0.0", Severity.P0, "error-rate", Instant.now()));

        assertThat(awaitDecisions(id, 1)).singleElement().satisfies(d -> assertThat(d)
                .containsEntry("action", "IGNORED").containsEntry("rule", "deployment-finished"));
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void tenBreachesAtOnceYieldExactlyOneRollback() {
        String service = unique("billing");
        String id = Fixtures.start(kafka, service, "9.0.0", "8.0.0");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Envelope<ThresholdBreached> b = breach(id, service, "9.0.0", Severity.P0, "error-rate", Instant.now());
            sent.add(b.id());
            kafka.send(b);
            kafka.send(b); // and each one delivered twice
        }

        List<Map<String, Object>> decisions = awaitDecisions(id, 10);

        assertThat(decisions).hasSize(10);
        assertThat(actions(decisions)).containsOnlyOnce("ROLLBACK").containsOnly("ROLLBACK", "ATTACHED");
        assertThat(decisions).extracting(d -> d.get("breachEventId")).containsExactlyInAnyOrderElementsOf(sent);
        List<Envelope<EventData>> rollbacks = kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id);
        assertThat(rollbacks).hasSize(1);
        assertThat(rollbacks.get(0).causationId()).isEqualTo(sent.get(0));
    }

    @Test
    void tenConcurrentBreachesAndOperatorsRacingForTheSameDeploymentYieldExactlyOneRollback() throws Exception {
        String service = unique("racing");
        String id = Fixtures.start(kafka, service, "9.1.0", "9.0.0");
        List<Envelope<ThresholdBreached>> breaches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            breaches.add(breach(id, service, "9.1.0", Severity.P0, "error-rate-" + i, Instant.now()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(15);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> operators = new ArrayList<>();
        try {
            for (Envelope<ThresholdBreached> b : breaches) {
                pool.submit(() -> {
                    go.await();
                    kafka.send(b);
                    kafka.send(b);
                    return null;
                });
            }
            for (int i = 0; i < 5; i++) {
                operators.add(pool.submit(() -> {
                    go.await();
                    return given().contentType(io.restassured.http.ContentType.JSON)
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .body("{\"reason\": \"race\"}")
                            .post("/api/v1/deployments/" + id + "/rollback").statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : operators) {
                statuses.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(statuses).allMatch(s -> s == 202 || s == 409);
            long manual = statuses.stream().filter(s -> s == 202).count();
            assertThat(manual).isLessThanOrEqualTo(1);

            List<Map<String, Object>> decisions = awaitDecisions(id, 10 + (int) manual);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(13))
                    .until(() -> Fixtures.decisions(id).size() == 10 + manual);
            assertThat(actions(decisions)).containsOnlyOnce("ROLLBACK").containsOnly("ROLLBACK", "ATTACHED");
            assertThat(decisions).filteredOn(d -> d.get("breachEventId") != null)
                    .extracting(d -> d.get("breachEventId"))
                    .containsExactlyInAnyOrderElementsOf(breaches.stream().map(Envelope::id).toList());
            assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theDecisionListFiltersAndPagesAndRefusesUnknownFilters() {
        String service = unique("filters");
        String id = Fixtures.start(kafka, service, "1.0.1", "1.0.0");
        kafka.send(breach(id, service, "1.0.1", Severity.P3, "memory-growth", Instant.now()));
        kafka.send(breach(id, service, "1.0.1", Severity.P3, "queue-depth", Instant.now()));
        kafka.send(breach(id, service, "1.0.1", Severity.P2, "latency", Instant.now()));
        awaitDecisions(id, 3);

        given().queryParam("service", service).queryParam("action", "notify").get("/api/v1/decisions")
                .then().statusCode(200).body("total", equalTo(2)).body("items.size()", equalTo(2));
        given().queryParam("service", service).queryParam("size", 2).queryParam("page", 1).get("/api/v1/decisions")
                .then().statusCode(200).body("total", equalTo(3)).body("items.size()", equalTo(1))
                .body("page", equalTo(1));
        given().queryParam("action", "PANIC").get("/api/v1/decisions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-filter"));
        given().queryParam("size", 0).get("/api/v1/decisions")
                .then().statusCode(400).body("type", equalTo("https://rollwatch.dev/problems/invalid-paging"));
    }

    @Test
    void poisonOnEveryConsumedTopicGoesToItsDeadLetterTopicAndConsumptionGoesOn() {
        for (String topic : List.of(Topics.THRESHOLD_BREACHED, Topics.DEPLOYMENT_STARTED, Topics.DEPLOYMENT_FINISHED,
                Topics.ROLLBACK_COMPLETED, Topics.STEP_COMPLETED, Topics.THRESHOLD_RECOVERED)) {
            String poisonKey = "poison-" + UUID.randomUUID();
            kafka.send(topic, poisonKey, "{not an event".getBytes(StandardCharsets.UTF_8));

            List<ConsumerRecord<String, byte[]>> dead = kafka.awaitRecords(Topics.dlq(topic),
                    r -> poisonKey.equals(r.key()), WAIT);
            ConsumerRecord<String, byte[]> record = dead.get(dead.size() - 1);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
            assertThat(KafkaTestClient.header(record, "dead-letter-reason")).contains("not a Rollwatch event");
        }
        // A well-formed event of the wrong type on a topic is poison too.
        String wrongKey = UUID.randomUUID().toString();
        kafka.send(Topics.THRESHOLD_BREACHED, wrongKey, EventCodec.encode(
                Fixtures.started(wrongKey, "x", "1", "0")));
        kafka.awaitRecords(Topics.dlq(Topics.THRESHOLD_BREACHED), r -> wrongKey.equals(r.key()), WAIT);

        // The channels are alive: a deployment and a breach after the poison are decided.
        String service = unique("after-poison");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach(id, service, "2.0.0", Severity.P0, "error-rate", Instant.now()));
        assertThat(kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id, RollbackRequested.class, WAIT).data().toVersion())
                .isEqualTo("1.0.0");
    }
}
