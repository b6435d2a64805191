package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.rollback.service.Escalations;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.rollback.Fixtures.ENV;
import static dev.rollwatch.rollback.Fixtures.MONITOR;
import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.decisions;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The runbooks' judgement end to end through Kafka and the API (issue 15, the rollback side). */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RunbookJudgementIT {

    private static KafkaTestClient kafka;

    @Inject
    Escalations escalations;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static String operator(String subject) {
        return TestTokens.builder().subject(subject).roles("operator").services("*").bearer();
    }

    static ValidatableResponse post(String path, String body, String subject) {
        var request = given().header("Authorization", operator(subject));
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(path).then();
    }

    /** A breach with the issue-15 fields. */
    static Envelope<ThresholdBreached> breach15(String deploymentId, String service, String version,
            Severity severity, String check, String metric, double value, double threshold, String kind,
            String phase) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Envelope.of(MONITOR, deploymentId, new ThresholdBreached(service, ENV, version, check, metric, metric,
                List.of(value), threshold, Operator.GT, Duration.ofSeconds(30), severity, 3, 3, at, null, null, null,
                null, kind, phase, null, null, null));
    }

    static Map<String, Object> decisionWith(String deploymentId, String action) {
        return await().atMost(WAIT).until(() -> decisions(deploymentId).stream()
                .filter(d -> action.equals(d.get("action"))).findFirst().orElse(null), d -> d != null);
    }

    @Test
    void aP1IsConditionalAndAnOperatorDecidesToRollBack() {
        String service = unique("conditional");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        Envelope<ThresholdBreached> b = breach(id, service, "2.0.0", Severity.P1, "latency", Instant.now());
        kafka.send(b);

        Map<String, Object> conditional = awaitDecisions(id, 1).get(0);
        assertThat(conditional).containsEntry("action", "CONDITIONAL").containsEntry("rule", "p1-conditional")
                .containsEntry("deciders", "operator").containsEntry("defaultAction", "ROLLBACK")
                .containsEntry("policyPack", "runbook@1").containsEntry("packRule", "p1-conditional")
                .containsEntry("seedRule", "002 P1 (High) < 15 min: Rollback if no quick fix");
        Instant decidedAt = Instant.parse((String) conditional.get("decidedAt"));
        assertThat(Instant.parse((String) conditional.get("decideBy"))).isEqualTo(decidedAt.plus(Duration
                .ofMinutes(15)));
        assertThat(Instant.parse((String) conditional.get("respondBy"))).isEqualTo(decidedAt.plus(Duration
                .ofMinutes(15)));
        Envelope<RollbackDecided> event = kafka.awaitEvent(Topics.ROLLBACK_DECISIONS, id, RollbackDecided.class,
                WAIT);
        assertThat(event.data().action()).isEqualTo("CONDITIONAL");
        assertThat(event.data().decideBy()).isNotNull();
        assertThat(event.data().seedRule()).isEqualTo("002 P1 (High) < 15 min: Rollback if no quick fix");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();

        String path = "/api/v1/decisions/" + conditional.get("id") + "/resolve";
        post(path, "{\"action\": \"ROLLBACK\", \"reason\": \"no quick fix\"}", "alice").statusCode(202)
                .body("action", equalTo("ROLLBACK")).body("trigger", equalTo("MANUAL"))
                .body("requestedBy", equalTo("alice")).body("relatedDecision", equalTo(conditional.get("id")));
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(rollback.data().requestedBy()).isEqualTo("alice");
        assertThat(rollback.data().toVersion()).isEqualTo("1.0.0");
        assertThat(rollback.data().severity()).isEqualTo(Severity.P1);
        assertThat(rollback.data().policyPack()).isEqualTo("runbook@1");

        post(path, "{\"action\": \"HOLD\", \"reason\": \"too late\"}", "bob").statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/decision-resolved"));
        given().get("/api/v1/decisions/" + conditional.get("id")).then().statusCode(200)
                .body("resolution", equalTo("ROLLBACK")).body("resolvedBy", equalTo("alice"));
    }

    @Test
    void aConditionalNobodyAnswersTakesItsDefaultActionAtTheDeadline() {
        String service = unique("conditional-default");
        Fixtures.policy(service, "\"overrides\": {\"p1-conditional\": {\"decideWithin\": \"2s\"}}");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach(id, service, "2.0.0", Severity.P1, "latency", Instant.now()));

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("conditional-default");
        assertThat(rollback.data().trigger()).isEqualTo(Trigger.AUTOMATIC);
        List<Map<String, Object>> all = decisions(id);
        assertThat(all).extracting(d -> d.get("action")).containsExactly("CONDITIONAL", "ROLLBACK");
        assertThat(all.get(1)).containsEntry("relatedDecision", all.get(0).get("id"));
        assertThat(all.get(0)).containsEntry("resolution", "ROLLBACK").containsEntry("resolvedBy",
                "rollback-service");
    }

    @Test
    void aConditionalHeldByAPersonIsAHoldDecisionAndNothingRollsBack() {
        String service = unique("conditional-hold");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach(id, service, "2.0.0", Severity.P1, "latency", Instant.now()));
        Map<String, Object> conditional = awaitDecisions(id, 1).get(0);

        post("/api/v1/decisions/" + conditional.get("id") + "/resolve",
                "{\"action\": \"hold\", \"reason\": \"patch going out\"}", "carol").statusCode(200)
                .body("action", equalTo("HOLD")).body("rule", equalTo("conditional-resolved"));
        Envelope<RollbackDecided> hold = await().atMost(WAIT).until(() -> kafka.eventsAbout(Topics
                .ROLLBACK_DECISIONS, id).stream().map(e -> e.as(RollbackDecided.class))
                .filter(e -> "HOLD".equals(e.data().action())).findFirst().orElse(null), e -> e != null);
        assertThat(hold.data().relatedDecisionId()).isEqualTo(conditional.get("id"));
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void aSustainedRuleAlertsFirstAndRollsBackOnceTheEpisodeStayedOpen() {
        String service = unique("sustained");
        Fixtures.policy(service, "\"overrides\": {\"error-rate-sustained\": {\"sustainedFor\": \"2s\"}}");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach15(id, service, "2.0.0", Severity.P1, "error-rate-critical", "error_rate", 0.08, 0.05,
                null, null));

        Map<String, Object> alert = awaitDecisions(id, 1).get(0);
        assertThat(alert).containsEntry("action", "ALERT").containsEntry("rule", "error-rate-sustained");
        assertThat(alert.get("followUpAt")).isNotNull();
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("error-rate-sustained");
        assertThat(rollback.data().seedRule()).isEqualTo("001 Immediate Rollback If: Error rate > 5% sustained");
        assertThat(decisions(id).get(1)).containsEntry("followsUp", alert.get("id"));
    }

    @Test
    void anOutageRollsBackAtP0AndAnAnalysisErrorIsNeverSilent() {
        String service = unique("outage");
        String down = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach15(down, service, "2.0.0", Severity.P1, "error-rate", "error_rate", 300, 300,
                ThresholdBreached.KIND_UNAVAILABLE, null));
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, down,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("outage");
        assertThat(rollback.data().severity()).isEqualTo(Severity.P0);

        String unmeasured = Fixtures.start(kafka, service, "2.1.0", "1.0.0");
        kafka.send(Envelope.of(Fixtures.DEPLOY, unmeasured, new StepCompleted(1, StepKind.ANALYSIS,
                StepOutcome.FAILED, 5, 1000, "metrics source unreachable", Verdict.ERROR)));
        assertThat(awaitDecisions(unmeasured, 1).get(0)).containsEntry("action", "CONDITIONAL")
                .containsEntry("rule", "analysis-error").containsEntry("defaultAction", "ROLLBACK");
    }

    @Test
    void aBreachInTheBakeWindowRollsBackTheSucceededDeploymentToTheVersionBeforeIt() {
        String service = unique("bake");
        String first = Fixtures.start(kafka, service, "1.0.0", null);
        kafka.send(Fixtures.finished(first, service, "1.0.0", DeploymentOutcome.SUCCEEDED));
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(Fixtures.finished(id, service, "2.0.0", DeploymentOutcome.SUCCEEDED));
        String lkg = "/api/v1/services/" + service + "/environments/" + ENV + "/last-known-good";
        await().atMost(WAIT).until(() -> "2.0.0".equals(given().get(lkg).then().extract().path("version")));

        kafka.send(breach(id, service, "2.0.0", Severity.P0, "latency", Instant.now()));
        assertThat(awaitDecisions(id, 1).get(0)).containsEntry("action", "IGNORED");

        kafka.send(breach15(id, service, "2.0.0", Severity.P0, "latency", "latency_p95", 4, 3, null,
                ThresholdBreached.PHASE_BAKE));
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().fromVersion()).isEqualTo("2.0.0");
        assertThat(rollback.data().toVersion()).isEqualTo("1.0.0");

        kafka.send(Fixtures.rollbackCompleted(id, service, "1.0.0", RollbackOutcome.SUCCEEDED));
        kafka.send(Fixtures.finished(id, service, "2.0.0", DeploymentOutcome.ROLLED_BACK));
        await().atMost(WAIT).until(() -> "1.0.0".equals(given().get(lkg).then().extract().path("version")));
    }

    @Test
    void anOperatorRollsBackTheLatestSucceededDeploymentToAVersionThatOnceSucceeded() {
        String service = unique("manual-succeeded");
        for (String v : List.of("1.0.0", "1.1.0")) {
            String d = Fixtures.start(kafka, service, v, null);
            kafka.send(Fixtures.finished(d, service, v, DeploymentOutcome.SUCCEEDED));
        }
        String older = Fixtures.start(kafka, service, "1.5.0", "1.1.0");
        kafka.send(Fixtures.finished(older, service, "1.5.0", DeploymentOutcome.SUCCEEDED));
        String latest = Fixtures.start(kafka, service, "2.0.0", "1.5.0");
        kafka.send(Fixtures.finished(latest, service, "2.0.0", DeploymentOutcome.SUCCEEDED));
        String lkg = "/api/v1/services/" + service + "/environments/" + ENV + "/last-known-good";
        await().atMost(WAIT).until(() -> "2.0.0".equals(given().get(lkg).then().extract().path("version")));

        post("/api/v1/deployments/" + older + "/rollback", "{\"reason\": \"old\"}", "alice").statusCode(409)
                .body("type", equalTo("https://rollwatch.dev/problems/not-latest-succeeded"));
        post("/api/v1/deployments/" + latest + "/rollback", "{\"reason\": \"x\", \"toVersion\": \"0.9.0\"}",
                "alice").statusCode(409)
                .body("type", equalTo("https://rollwatch.dev/problems/version-never-succeeded"));
        post("/api/v1/deployments/" + latest + "/rollback", "{\"reason\": \"customer bug\", \"toVersion\": "
                + "\"1.0.0\"}", "alice").statusCode(202).body("toVersion", equalTo("1.0.0"))
                .body("fromVersion", equalTo("2.0.0"));
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, latest,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().toVersion()).isEqualTo("1.0.0");
        assertThat(rollback.data().requestedBy()).isEqualTo("alice");
    }

    @Test
    void aSteppedBackRollbackLetsALaterBreachRollBackAgain() {
        String service = unique("stepped-back");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach15(id, service, "2.0.0", Severity.P2, "canary-errors", "error_rate", 0.007, 0.005,
                ThresholdBreached.KIND_CRITERIA, null));
        kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id, RollbackRequested.class, WAIT);
        kafka.send(Envelope.of(Fixtures.DEPLOY, id, new RollbackCompleted(service, ENV, RollbackOutcome.STEPPED_BACK,
                "2.0.0", 10, 30L, "back to 5 %", 5, null)));
        await().atMost(WAIT).until(() -> "STEPPED_BACK".equals(decisionWith(id, "ROLLBACK").get("status")));

        kafka.send(breach(id, service, "2.0.0", Severity.P0, "error-rate", Instant.now()));
        await().atMost(WAIT).until(() -> decisions(id).stream().filter(d -> "ROLLBACK".equals(d.get("action")))
                .count() == 2);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).hasSize(2);
    }

    @Test
    void anUnverifiedRollbackIsEscalatedAtP0OnceAndRecorded() {
        String service = unique("unverified");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach(id, service, "2.0.0", Severity.P0, "error-rate", Instant.now()));
        kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id, RollbackRequested.class, WAIT);
        kafka.send(Envelope.of(Fixtures.DEPLOY, id, new RollbackCompleted(service, ENV, RollbackOutcome.UNVERIFIED,
                "1.0.0", 10, 30L, "set back", null, "GET /health 503")));
        kafka.send(Envelope.of(MONITOR, id, new RollbackVerified(service, ENV, "1.0.0", RollbackVerified.UNVERIFIED,
                Duration.ofMinutes(30), Instant.now(), Instant.now(), "error-rate", "error rate 0.08 > 0.01",
                List.of())));

        Envelope<RollbackEscalated> escalated = kafka.awaitEvent(Topics.ROLLBACK_ESCALATED, id,
                RollbackEscalated.class, WAIT);
        assertThat(escalated.data().rule()).isEqualTo("rollback-unverified");
        assertThat(escalated.data().severity()).isEqualTo(Severity.P0);
        await().atMost(WAIT).until(() -> decisionWith(id, "ROLLBACK").get("verification") != null);
        assertThat(decisionWith(id, "ROLLBACK")).containsEntry("verification", "UNVERIFIED");
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
        List<Envelope<EventData>> all = kafka.eventsAbout(Topics.ROLLBACK_ESCALATED, id);
        assertThat(all).as("escalated once per rollback").hasSize(1);
        assertThat(decisions(id).stream().filter(d -> "ESCALATED".equals(d.get("action")))).hasSize(1);
    }

    @Test
    void aDecisionNobodyAnsweredWithinItsResponseTargetIsEscalatedOnceUnlessAcknowledged() {
        String service = unique("unanswered");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        kafka.send(breach(id, service, "2.0.0", Severity.P2, "latency", Instant.now()));
        Map<String, Object> alert = awaitDecisions(id, 1).get(0);
        assertThat(alert).containsEntry("action", "ALERT");
        String acked = Fixtures.start(kafka, service, "2.1.0", "1.0.0");
        kafka.send(breach(acked, service, "2.1.0", Severity.P2, "latency", Instant.now()));
        Map<String, Object> other = awaitDecisions(acked, 1).get(0);
        post("/api/v1/decisions/" + other.get("id") + "/acknowledge", null, "dave").statusCode(200)
                .body("acknowledgedBy", equalTo("dave"));

        Instant late = Instant.now().plus(Duration.ofMinutes(31));
        // every decision of the test database that is unanswered by then is escalated, a batch at a time
        while (QuarkusTransaction.requiringNew().call(() -> escalations.escalateUnanswered(late)) > 0) {
            assertThat(kafka).isNotNull();
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> escalations.escalateUnanswered(late.plusSeconds(5))))
                .as("once").isZero();

        Envelope<RollbackEscalated> escalated = kafka.awaitEvent(Topics.ROLLBACK_ESCALATED, id,
                RollbackEscalated.class, WAIT);
        assertThat(escalated.data().rule()).isEqualTo("decision-unanswered");
        assertThat(escalated.data().severity()).isEqualTo(Severity.P2);
        assertThat(escalated.data().decisionId()).isEqualTo(alert.get("id"));
        assertThat(escalated.data().deadline()).isEqualTo(Instant.parse((String) alert.get("respondBy")));
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_ESCALATED, id)).hasSize(1);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_ESCALATED, acked)).isEmpty();
    }
}
