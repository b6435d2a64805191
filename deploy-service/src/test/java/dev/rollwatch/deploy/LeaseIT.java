package dev.rollwatch.deploy;

import dev.rollwatch.deploy.service.DeploymentLeases;
import dev.rollwatch.deploy.service.StepEngine;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rollwatch.deploy.Rollouts.WAIT;
import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.start;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two replicas on one database: the engine drives a deployment only under its lease, so another replica's claim
 * (here a second {@link DeploymentLeases} with its own identity, as another deploy-service would hold) keeps it
 * off until released or expired.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class LeaseIT {

    @Inject
    EntityManager em;

    @Inject
    StepEngine engine;

    private final TargetStub target = TargetStub.shared();

    private String gated() {
        String id = start(uniqueService("lease"), "[{\"setWeight\": 5}, {\"pause\": {}}, {\"setWeight\": 25}]");
        awaitStatus(id, "AWAITING_APPROVAL"); // the engine's run ended and released its lease
        return id;
    }

    @Test
    void oneReplicaHoldsTheLeaseUntilItReleasesItOrItExpires() {
        UUID id = UUID.fromString(gated());
        DeploymentLeases a = new DeploymentLeases(em, "replica-a", Duration.ofMillis(1500));
        DeploymentLeases b = new DeploymentLeases(em, "replica-b", Duration.ofMillis(1500));

        assertThat(a.claim(id)).isTrue();
        assertThat(b.claim(id)).isFalse();
        assertThat(a.claim(id)).as("the holder extends its own lease").isTrue();
        a.release(id);
        assertThat(b.claim(id)).isTrue();
        assertThat(a.claim(id)).isFalse();
        // b stops renewing (it died): a takes over once the lease has expired, not before.
        long claimed = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> a.claim(id));
        assertThat(Duration.ofNanos(System.nanoTime() - claimed)).isGreaterThan(Duration.ofMillis(1000));
        assertThat(b.claim(id)).isFalse();
        b.release(id); // not b's any more: changes nothing
        assertThat(b.claim(id)).isFalse();
        a.release(id);
    }

    @Test
    void ofManyReplicasClaimingAtOnceExactlyOneWins() throws Exception {
        UUID id = UUID.fromString(gated());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                DeploymentLeases replica = new DeploymentLeases(em, "replica-" + i, Duration.ofSeconds(30));
                claims.add(pool.submit((Callable<Boolean>) () -> {
                    go.await();
                    return replica.claim(id);
                }));
            }
            go.countDown();
            long winners = 0;
            for (Future<Boolean> f : claims) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theEngineDoesNotDriveADeploymentAnotherReplicaHoldsAndTakesItOverWhenThatLeaseExpires() {
        String id = gated();
        DeploymentLeases other = new DeploymentLeases(em, "replica-elsewhere", Duration.ofSeconds(3));
        assertThat(other.claim(UUID.fromString(id))).isTrue();

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("kim")).body(Rollouts.decision("go"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(200);

        // The other replica holds it: this engine's ticks (every 200 ms) leave the 25% step alone.
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofMillis(12500))
                .until(() -> target.appliedWeights(id).size() == 1);
        given().when().get("/api/v1/deployments/" + id).then().body("status", equalTo("RUNNING"));

        awaitStatus(id, "SUCCEEDED");
        assertThat(target.appliedWeights(id)).containsExactly(5, 25);
        await().atMost(WAIT).until(() -> !engine.guarding(UUID.fromString(id)));
    }

    @Test
    void theInMemoryLockOfADeploymentIsDroppedOnceNobodyUsesIt() {
        UUID id = UUID.randomUUID();
        assertThat(engine.exclusively(id, () -> engine.guarding(id))).isTrue();
        assertThat(engine.guarding(id)).isFalse();
    }
}
