package dev.rollwatch.rollback;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import dev.rollwatch.rollback.service.Escalations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.actions;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.decisions;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class EscalationIT {

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

    static void deadline(String service, String deadline) {
        given().header("Authorization", TestTokens.builder().subject("sre").roles("operator").services("*").bearer())
                .contentType(ContentType.JSON)
                .body("{\"rollbackDeadline\": \"" + deadline + "\", \"reason\": \"test\"}")
                .put("/api/v1/policies/" + service + "/production").then().statusCode(200);
    }

    static String rolledBack(String service, String deadline) {
        deadline(service, deadline);
        String id = Fixtures.start(kafka, service, "6.0.0", "5.0.0");
        kafka.send(breach(id, service, "6.0.0", Severity.P0, "error-rate", Instant.now()));
        awaitDecisions(id, 1);
        return id;
    }

    @Test
    void aRollbackThatDoesNotCompleteWithinItsDeadlineIsEscalatedAndStaysOpenUntilItCompletes() {
        String service = unique("stalled");
        String id = rolledBack(service, "2s");

        List<Map<String, Object>> decisions = awaitDecisions(id, 2);
        assertThat(actions(decisions)).containsExactly("ROLLBACK", "ESCALATED");
        assertThat(decisions.get(0)).containsEntry("status", "ESCALATED");
        assertThat(decisions.get(1)).containsEntry("rule", "rollback-deadline-exceeded")
                .containsEntry("severity", "P1").containsEntry("relatedDecision", decisions.get(0).get("id"));

        // Published as a P1 RollbackEscalated, keyed by the deployment, caused by the unanswered RollbackRequested.
        Envelope<RollbackRequested> requested = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        Envelope<RollbackEscalated> escalated = kafka.awaitEvent(Topics.ROLLBACK_ESCALATED, id,
                RollbackEscalated.class, WAIT);
        assertThat(escalated.key()).isEqualTo(id);
        assertThat(escalated.causationId()).isEqualTo(requested.id());
        assertThat(escalated.data()).usingRecursiveComparison().ignoringFields("detail").isEqualTo(
                new RollbackEscalated(service, "production", (String) decisions.get(0).get("id"), requested.id(),
                        "rollback-deadline-exceeded", Severity.P1, Instant.parse((String) decisions.get(0)
                                .get("decidedAt")), Instant.parse((String) decisions.get(0).get("deadlineAt")),
                        Instant.parse((String) decisions.get(1).get("decidedAt")), "5.0.0", null));
        assertThat(escalated.data().detail()).isEqualTo(decisions.get(1).get("reason"));

        // The late completion closes it; no second escalation follows.
        kafka.send(Fixtures.rollbackCompleted(id, service, "5.0.0", RollbackOutcome.SUCCEEDED));
        await().atMost(WAIT).until(() -> "COMPLETED".equals(decisions(id).get(0).get("status")));
        assertThat(decisions(id)).hasSize(2);
    }

    @Test
    void aFailedRollbackIsEscalatedAtOnce() {
        String service = unique("failing");
        String id = rolledBack(service, "2m");

        Envelope<RollbackCompleted> failed = Fixtures.rollbackCompleted(id, service, "5.0.0", RollbackOutcome.FAILED);
        kafka.send(failed);

        List<Map<String, Object>> decisions = awaitDecisions(id, 2);
        Envelope<RollbackEscalated> escalated = kafka.awaitEvent(Topics.ROLLBACK_ESCALATED, id,
                RollbackEscalated.class, WAIT);
        assertThat(escalated.causationId()).isEqualTo(failed.id());
        assertThat(escalated.data().rule()).isEqualTo("rollback-failed");
        assertThat(escalated.data().severity()).isEqualTo(Severity.P1);
        assertThat(escalated.data().decisionId()).isEqualTo(decisions.get(0).get("id"));
        assertThat(escalated.data().detail()).contains("target refused the rollback");
        assertThat(actions(decisions)).containsExactly("ROLLBACK", "ESCALATED");
        assertThat(decisions.get(1)).containsEntry("rule", "rollback-failed");
        assertThat(decisions.get(1).get("reason").toString()).contains("target refused the rollback");
        assertThat(decisions.get(0)).containsEntry("status", "ESCALATED");
    }

    @Test
    void aRollbackCompletedInTimeIsClosedAndNeverEscalated() {
        String service = unique("prompt");
        String id = rolledBack(service, "2m");

        kafka.send(Fixtures.rollbackCompleted(id, service, "5.0.0", RollbackOutcome.SUCCEEDED));
        await().atMost(WAIT).until(() -> "COMPLETED".equals(decisions(id).get(0).get("status")));

        // Long past its deadline, the completed rollback is not escalated (checked directly, not by waiting).
        QuarkusTransaction.requiringNew()
                .run(() -> escalations.escalateOverdue(Instant.now().plus(Duration.ofHours(1))));
        assertThat(decisions(id)).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("status", "COMPLETED");
            assertThat(d.get("escalatedAt")).isNull();
        });
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_ESCALATED, id)).isEmpty();
    }
}
