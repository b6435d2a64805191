package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.actions;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ManualRollbackIT {

    private static final String BODY = "{\"reason\": \"customers report failed payments\"}";
    /** Operator bob: who asks for a rollback is the token's subject. */
    private static final String BOB = TestTokens.builder().subject("bob").roles("operator").services("*").bearer();
    private static KafkaTestClient kafka;

    @Inject
    DecisionRepository decisions;

    @Inject
    TrackedDeploymentRepository deployments;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static io.restassured.response.ValidatableResponse rollback(String id, String key, String body) {
        var request = given().header("Authorization", BOB).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/v1/deployments/" + id + "/rollback").then();
    }

    @Test
    void anOperatorRollsBackOnceAndARetryWithTheSameKeyReturnsTheSameDecision() {
        String service = unique("payments");
        String id = Fixtures.start(kafka, service, "4.2.0", "4.1.0");
        String key = UUID.randomUUID().toString();

        String decisionId = rollback(id, key, BODY).statusCode(202)
                .body("action", equalTo("ROLLBACK")).body("trigger", equalTo("MANUAL"))
                .body("toVersion", equalTo("4.1.0")).body("requestedBy", equalTo("bob"))
                .extract().path("id");
        rollback(id, key, BODY).statusCode(200).body("id", equalTo(decisionId));

        Envelope<RollbackRequested> event = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id, RollbackRequested.class,
                WAIT);
        assertThat(event.data().trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(event.data().requestedBy()).isEqualTo("bob");
        assertThat(event.data().reason()).contains("customers report failed payments");
        assertThat(event.data().breachEventIds()).isEmpty();
        assertThat(event.data().detectedAt()).isNull();
        assertThat(event.data().toVersion()).isEqualTo("4.1.0");
        assertThat(event.causationId()).isNull();

        // Another operator (another key) is told a rollback is already under way, and which one.
        rollback(id, UUID.randomUUID().toString(), BODY).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/rollback-in-progress"))
                .body("decisionId", equalTo(decisionId));
        // A breach afterwards attaches to the manual rollback.
        kafka.send(Fixtures.breach(id, service, "4.2.0", Severity.P0, "error-rate", Instant.now()));
        assertThat(actions(awaitDecisions(id, 2))).containsExactly("ROLLBACK", "ATTACHED");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).hasSize(1);
    }

    @Test
    void theDatabaseRefusesASecondRollbackForADeploymentEvenIfTheCodeTriedOne() {
        String service = unique("guarded");
        String id = Fixtures.start(kafka, service, "1.1.0", "1.0.0");
        rollback(id, null, BODY).statusCode(202);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            TrackedDeployment deployment = deployments.findById(id);
            Decision second = Decision.about(deployment, DecisionAction.ROLLBACK, "manual", "a second rollback",
                    Instant.now());
            decisions.persistAndFlush(second);
        })).hasRootCauseInstanceOf(org.postgresql.util.PSQLException.class)
                .rootCause().hasMessageContaining("decision_one_rollback");
        assertThat(actions(Fixtures.decisions(id))).containsExactly("ROLLBACK");
    }

    @Test
    void unknownAndFinishedDeploymentsAreRefusedAndBadBodiesWriteNothing() {
        rollback(UUID.randomUUID().toString(), null, BODY).statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/not-found"));

        String service = unique("search");
        String id = Fixtures.start(kafka, service, "1.3.0", "1.2.0");
        rollback(id, null, "{\"reason\": \"\"}").statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/validation"))
                .body("errors.field", hasItems("reason"));
        // The body cannot name who asks: that is the token's subject.
        rollback(id, null, "{\"reason\": \"x\", \"requestedBy\": \"alice\"}").statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/malformed-body"))
                .body("detail", org.hamcrest.Matchers.containsString("requestedBy"));
        rollback(id, null, "{\"reason\": ").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/malformed-body"));
        assertThat(Fixtures.decisions(id)).isEmpty();

        kafka.send(Fixtures.finished(id, service, "1.3.0", DeploymentOutcome.ABORTED));
        await().atMost(WAIT).until(() -> "FINISHED".equals(given().get("/api/v1/deployments/" + id).then()
                .extract().path("state")));
        rollback(id, null, BODY).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/deployment-finished"))
                .body("outcome", equalTo("ABORTED"));
        assertThat(Fixtures.decisions(id)).isEmpty();
    }

    @Test
    void lastKnownGoodIsA404ProblemUntilAVersionSucceeded() {
        given().get("/api/v1/services/" + unique("never") + "/environments/production/last-known-good")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/no-last-known-good"));
    }

    static io.restassured.response.ValidatableResponse rollbackAs(String token, String id, String key) {
        var request = given().header("Authorization", token).contentType(ContentType.JSON).body(BODY);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/v1/deployments/" + id + "/rollback").then();
    }

    @Test
    void anOperatorLimitedToAServiceIsRefusedADeploymentThisServiceDoesNotKnowAndNeverLearnsAnotherServicesIds() {
        String service = unique("orders");
        String carol = TestTokens.builder().subject("carol").roles("operator").services(service).bearer();
        // Not known (yet): denied, as another service's deployment would be, and nothing is recorded.
        String early = UUID.randomUUID().toString();
        rollbackAs(carol, early, null).statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/forbidden-service"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> decisions.rollbackOf(early))).isEmpty();
        // An operator of every service gets the 404 it always did.
        rollback(early, null, BODY).statusCode(404);

        String id = Fixtures.start(kafka, service, "2.0.0", "1.9.0");
        String key = UUID.randomUUID().toString();
        rollbackAs(carol, id, key).statusCode(202).body("requestedBy", equalTo("carol"));

        // The key again, by an operator of another service for its own deployment: 409, without naming carol's.
        String otherService = unique("ledger");
        String other = Fixtures.start(kafka, otherService, "3.0.0", "2.9.0");
        String dave = TestTokens.builder().subject("dave").roles("operator").services(otherService).bearer();
        String refused = rollbackAs(dave, other, key).statusCode(409)
                .body("type", equalTo("https://rollwatch.dev/problems/idempotency-key-reused"))
                .body("deploymentId", org.hamcrest.Matchers.nullValue()).extract().asString();
        assertThat(refused).doesNotContain(id);
        assertThat(QuarkusTransaction.requiringNew().call(() -> decisions.rollbackOf(other))).isEmpty();
        // Within the same service the earlier deployment is named.
        String second = Fixtures.start(kafka, service, "2.1.0", "1.9.0");
        rollbackAs(carol, second, key).statusCode(409).body("deploymentId", equalTo(id));
    }
}
