package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.PolicyChanged;
import dev.rollwatch.events.PolicyContent;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The decisions that roll nothing back, and policy changes, are events too: keyed right, caused by the right event. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DecisionEventsIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** The RollbackDecided events about a deployment, in order, once {@code count} are there. */
    static List<Envelope<RollbackDecided>> awaitDecided(String deploymentId, int count) {
        return await().atMost(WAIT).until(() -> kafka.eventsAbout(Topics.ROLLBACK_DECISIONS, deploymentId).stream()
                .map(e -> e.as(RollbackDecided.class)).toList(), list -> list.size() >= count);
    }

    @Test
    void aP2AlertAndAP3NotificationArePublishedAsRollbackDecidedCausedByTheirBreach() {
        String service = unique("decided");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.0.0");
        Envelope<ThresholdBreached> p2 = breach(id, service, "2.0.0", Severity.P2, "latency", Instant.now());
        Envelope<ThresholdBreached> p3 = breach(id, service, "2.0.0", Severity.P3, "memory", Instant.now());
        kafka.send(p2);
        kafka.send(p3);

        List<Map<String, Object>> decisions = awaitDecisions(id, 2);
        List<Envelope<RollbackDecided>> events = awaitDecided(id, 2);

        assertThat(events).hasSize(2);
        Envelope<RollbackDecided> alert = events.get(0);
        assertThat(alert.key()).isEqualTo(id);
        assertThat(alert.subject()).isEqualTo(id);
        assertThat(alert.source()).isEqualTo("/rollwatch/rollback-service");
        assertThat(alert.causationId()).isEqualTo(p2.id());
        // the global default policy in force is version 2 (the runbook matrix, migration V4); a P2 must be answered
        // within 30 minutes (runbook 002)
        assertThat(alert.data()).usingRecursiveComparison().ignoringFields("reason", "policyId").isEqualTo(
                new RollbackDecided(service, "production", (String) decisions.get(0).get("id"), "ALERT",
                        "p2-below-repeat-limit", "-", Severity.P2, "latency", 2L, 2, p2.id(), null,
                        Instant.parse((String) decisions.get(0).get("decidedAt")).plus(Duration.ofMinutes(30)), null,
                        null, null, "runbook@1", "002 P2 (Medium) < 30 min: Monitor, rollback if escalates"));
        assertThat(alert.data().reason()).isEqualTo(decisions.get(0).get("reason"));

        Envelope<RollbackDecided> notify = events.get(1);
        assertThat(notify.causationId()).isEqualTo(p3.id());
        assertThat(notify.data().action()).isEqualTo("NOTIFY");
        assertThat(notify.data().rule()).isEqualTo("p3-notify");
        assertThat(notify.data().decisionId()).isEqualTo(decisions.get(1).get("id"));
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void aRollbackHoldIsPublishedAsHoldAndAutoRollbackOffAsApprovalRequired() {
        String frozen = unique("frozen");
        Fixtures.policy(frozen, "\"rollbackHold\": true");
        String held = Fixtures.start(kafka, frozen, "3.0.0", "2.0.0");
        Envelope<ThresholdBreached> heldBreach = breach(held, frozen, "3.0.0", Severity.P0, "error-rate",
                Instant.now());
        kafka.send(heldBreach);

        String manual = unique("manual-approval");
        Fixtures.policy(manual, "\"autoRollback\": false");
        String asked = Fixtures.start(kafka, manual, "3.0.0", "2.0.0");
        Envelope<ThresholdBreached> askedBreach = breach(asked, manual, "3.0.0", Severity.P0, "error-rate",
                Instant.now());
        kafka.send(askedBreach);

        Envelope<RollbackDecided> hold = kafka.awaitEvent(Topics.ROLLBACK_DECISIONS, held, RollbackDecided.class,
                WAIT);
        assertThat(hold.data().action()).isEqualTo("HOLD");
        assertThat(hold.data().rule()).isEqualTo("rollback-hold");
        assertThat(hold.data().severity()).isEqualTo(Severity.P0);
        assertThat(hold.causationId()).isEqualTo(heldBreach.id());

        Envelope<RollbackDecided> approval = kafka.awaitEvent(Topics.ROLLBACK_DECISIONS, asked,
                RollbackDecided.class, WAIT);
        assertThat(approval.data().action()).isEqualTo("APPROVAL_REQUIRED");
        assertThat(approval.data().rule()).isEqualTo("auto-rollback-off");
        assertThat(approval.causationId()).isEqualTo(askedBreach.id());
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, held)).isEmpty();
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, asked)).isEmpty();
    }

    @Test
    void aRollbackIsNotARollbackDecidedButTheBreachesAttachedToItAndBreachesAfterTheEndAre() {
        String service = unique("attached");
        String id = Fixtures.start(kafka, service, "4.0.0", "3.0.0");
        Envelope<ThresholdBreached> first = breach(id, service, "4.0.0", Severity.P0, "error-rate", Instant.now());
        kafka.send(first);
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        Envelope<ThresholdBreached> second = breach(id, service, "4.0.0", Severity.P2, "latency", Instant.now());
        kafka.send(second);
        List<Map<String, Object>> decisions = awaitDecisions(id, 2);

        kafka.send(Fixtures.finished(id, service, "4.0.0", DeploymentOutcome.ROLLED_BACK));
        await().atMost(WAIT).until(() -> "FINISHED".equals(
                given().get("/api/v1/deployments/" + id).then().extract().path("state")));
        Envelope<ThresholdBreached> late = breach(id, service, "4.0.0", Severity.P0, "error-rate", Instant.now());
        kafka.send(late);

        List<Envelope<RollbackDecided>> events = awaitDecided(id, 2);
        assertThat(events).extracting(e -> e.data().action()).containsExactly("ATTACHED", "IGNORED");
        assertThat(events.get(0).causationId()).isEqualTo(second.id());
        assertThat(events.get(0).data().relatedDecisionId()).isEqualTo(decisions.get(0).get("id"));
        assertThat(events.get(0).data().rule()).isEqualTo("rollback-already-requested");
        assertThat(events.get(1).causationId()).isEqualTo(late.id());
        assertThat(events.get(1).data().rule()).isEqualTo("deployment-finished");
        assertThat(events).extracting(e -> e.data().decisionId()).doesNotContain(
                (String) decisions.get(0).get("id"));
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).extracting(Envelope::id)
                .containsExactly(rollback.id());
    }

    @Test
    void everyPolicyChangeIsPublishedKeyedByItsScopeWithItsFullContentAndARefusedOneIsNot() {
        String service = unique("policy-events");
        String key = service + "/production";
        int firstId = given().header("Authorization", operator("carol")).contentType(ContentType.JSON).body("""
                {"repeatCount": 4, "repeatWindow": "90s", "reason": "noisy latency"}""")
                .put("/api/v1/policies/" + service + "/production").then().statusCode(200).extract().path("id");
        given().header("Authorization", operator("dba")).contentType(ContentType.JSON).body("""
                {"rollbackHold": true, "reason": "database migration"}""")
                .put("/api/v1/policies/" + service + "/production").then().statusCode(200);
        given().header("Authorization", operator("eve")).contentType(ContentType.JSON).body("""
                {"repeatWindow": "-1m", "reason": "refused"}""")
                .put("/api/v1/policies/" + service + "/production").then().statusCode(400);

        List<Envelope<EventData>> events = await().atMost(WAIT)
                .until(() -> kafka.eventsAbout(Topics.POLICY_CHANGES, key), list -> list.size() >= 2);

        assertThat(events).hasSize(2);
        Envelope<PolicyChanged> first = events.get(0).as(PolicyChanged.class);
        assertThat(first.key()).isEqualTo(key);
        assertThat(first.subject()).isEqualTo(key);
        assertThat(first.source()).isEqualTo("/rollwatch/rollback-service");
        assertThat(first.data()).usingRecursiveComparison().ignoringFields("changedAt").isEqualTo(new PolicyChanged(
                service, "production", (long) firstId, 1, new PolicyContent("CONDITIONAL", "MONITOR", "NOTIFY", 4,
                        Duration.ofSeconds(90), true, false, Duration.ofMinutes(2)), "carol", "noisy latency",
                Instant.EPOCH));
        PolicyChanged second = events.get(1).as(PolicyChanged.class).data();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.rules().freeze()).isTrue();
        assertThat(second.rules().repeatCount()).as("fields left out keep their value").isEqualTo(4);
        assertThat(second.changedBy()).isEqualTo("dba");
    }

    /** An operator's token: the subject is who the PolicyChanged says changed the policy. */
    private static String operator(String subject) {
        return TestTokens.builder().subject(subject).roles("operator").services("*").bearer();
    }
}
