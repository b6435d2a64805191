package dev.rollwatch.deploy;

import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.driver.http.HttpTargetDriver;
import dev.rollwatch.deploy.service.WebhookIds;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.start;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a crash leaves behind, re-created in the database and at the target, and how the engine picks it up:
 * state is only in PostgreSQL, and calls are idempotent by their derived webhook-id.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class ResumptionIT {

    @Inject
    EntityManager em;

    private final TargetStub target = TargetStub.shared();

    @Test
    void aRollbackRecordedBeforeACrashIsExecutedByTheTickWithoutAnyWakeUp() {
        String service = uniqueService("crashed");
        String id = start(service, "[{\"setWeight\": 5}, {\"pause\": {}}]");
        awaitStatus(id, "AWAITING_APPROVAL");

        // The consumer's transaction committed ROLLING_BACK, then the process died before calling the target.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                UPDATE deployment SET status = 'ROLLING_BACK', rollback_to_version = '2.3.0',
                       rollback_request_id = 'req-1', rollback_started_at = ?1, row_version = row_version + 1
                WHERE id = ?2""").setParameter(1, Instant.now()).setParameter(2, UUID.fromString(id))
                .executeUpdate());

        awaitStatus(id, "ROLLED_BACK");
        assertThat(target.callsFor(id, "rollback")).singleElement()
                .satisfies(c -> assertThat(c.webhookId()).isEqualTo("msg_" + id + "_rollback"));
    }

    @Test
    void aStepWhoseCallWasMadeBeforeACrashIsReRunButTheTargetAppliesItOnce() {
        String service = uniqueService("rerun");
        String id = start(service, "[{\"setWeight\": 5}, {\"pause\": {}}, {\"setWeight\": 25}]");
        awaitStatus(id, "AWAITING_APPROVAL");

        // The previous incarnation had sent step 2's call (same derived webhook-id) and died before recording it.
        HttpTargetDriver crashed = new HttpTargetDriver(new HttpTargetDriver.Settings(TargetStub.TEST_SECRET,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1, Duration.ofMillis(10), Duration.ofMillis(10)));
        crashed.setWeight(new DeploymentTarget(UUID.fromString(id), "http", target.url(), service, "production",
                "2.3.0", "2.4.0"), 25, WebhookIds.traffic(UUID.fromString(id), 2));

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("hank")).body(Rollouts.decision("go"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(200);
        awaitStatus(id, "SUCCEEDED");

        assertThat(target.callsFor(id, "traffic").stream().filter(c -> c.field("weight").equals(25)))
                .hasSize(2).extracting(TargetStub.Call::webhookId).containsOnly("msg_" + id + "_step2_traffic");
        assertThat(target.appliedWeights(id)).containsExactly(5, 25);
    }

    @Test
    void aFinalizeSentBeforeACrashIsReSentWithTheSameIdAndAppliedOnce() {
        String service = uniqueService("refinal");
        String id = start(service, "[{\"setWeight\": 100}, {\"pause\": {}}]");
        awaitStatus(id, "AWAITING_APPROVAL");

        // The previous incarnation had sent the finalize (same derived webhook-id) and died before recording
        // SUCCEEDED; meanwhile (a later deployment, or a person) the target was changed again.
        HttpTargetDriver crashed = new HttpTargetDriver(new HttpTargetDriver.Settings(TargetStub.TEST_SECRET,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1, Duration.ofMillis(10), Duration.ofMillis(10)));
        DeploymentTarget at = new DeploymentTarget(UUID.fromString(id), "http", target.url(), service, "production",
                "2.3.0", "2.4.0");
        crashed.finalize(at, "2.4.0", WebhookIds.finalize(UUID.fromString(id)));
        crashed.setWeight(at, 50, "msg_someone_else");

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("hank")).body(Rollouts.decision("go"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(200);
        awaitStatus(id, "SUCCEEDED");

        assertThat(target.callsFor(id, "finalize")).hasSize(2)
                .extracting(TargetStub.Call::webhookId, TargetStub.Call::applied).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("msg_" + id + "_finalize", true),
                        org.assertj.core.groups.Tuple.tuple("msg_" + id + "_finalize", false));
        assertThat(target.state(service)).containsEntry("weight", 50); // the repeat changed nothing
    }
}
