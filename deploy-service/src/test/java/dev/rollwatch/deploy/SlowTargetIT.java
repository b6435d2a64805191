package dev.rollwatch.deploy;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.rollwatch.deploy.Rollouts.WAIT;
import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.start;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, item 2: a slow remote must not stall the engine. Targets that send their headers and then drip their
 * body for minutes hold every forward worker; another deployment's rollback still runs at once (rollbacks have
 * workers of their own), and each dripping call ends at its deadline with a failure that says so.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class SlowTargetIT {

    private static KafkaTestClient kafka;
    private final TargetStub target = TargetStub.shared();

    @Inject
    DeployConfig config;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void targetsDrippingTheirBodiesForEveryForwardWorkerDoNotDelayAnotherDeploymentsRollback() {
        // B: at 5 %, paused for a minute.
        String serviceB = uniqueService("payments");
        String b = start(serviceB, "[{\"setWeight\": 5}, {\"pause\": {\"duration\": \"60s\"}}, {\"setWeight\": 25}]");
        await().atMost(WAIT).until(() -> target.appliedWeights(b).size() == 1);

        // A: as many deployments as there are forward workers, each target dripping its answer for 10 minutes.
        int forward = config.engine().workers();
        int drippingBefore = target.dripping();
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < forward; i++) {
            String service = uniqueService("slowpoke");
            target.drip(service, "traffic", 100);
            slow.add(start(service, "[{\"setWeight\": 5}]"));
        }
        await().atMost(WAIT).until(() -> target.dripping() - drippingBefore >= forward);
        long hangingSince = System.nanoTime();

        kafka.send(Envelope.of("/rollwatch/rollback-service", b, new RollbackRequested(serviceB, "production",
                Trigger.AUTOMATIC, "error rate 8% > 1%", List.of(UUID.randomUUID().toString()), "p1-immediate", 1,
                "2.4.0", "2.3.0", "rollback-service", Instant.now())));
        Instant asked = Instant.now();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                "ROLLED_BACK".equals(given().when().get("/api/v1/deployments/" + b).then().extract()
                        .path("status")));
        Duration took = Duration.between(asked, Instant.now());
        // Every forward worker is still inside a dripping call while B is already rolled back.
        assertThat(target.dripping() - drippingBefore).as("calls still dripping when B was rolled back")
                .isGreaterThanOrEqualTo(forward);
        for (String a : slow) {
            assertThat((String) given().when().get("/api/v1/deployments/" + a).then().extract().path("status"))
                    .isEqualTo("RUNNING");
        }
        RollbackCompleted completed = kafka.awaitEvent(Topics.ROLLBACK_COMPLETED, b, RollbackCompleted.class, WAIT)
                .data();
        assertThat(completed.outcome()).isEqualTo(RollbackOutcome.SUCCEEDED);
        System.out.printf("SlowTargetIT: B rolled back %d ms after its RollbackRequested was sent, with %d forward "
                + "workers inside dripping calls%n", took.toMillis(), forward);

        // Each A ends at its deadline: requestTimeout per attempt (2 s in tests), maxAttempts attempts, and says so
        // without a byte of the target's body.
        long timeoutMs = config.httpDriver().requestTimeout().toMillis();
        for (String a : slow) {
            awaitStatus(a, "FAILED");
            String reason = given().when().get("/api/v1/deployments/" + a).then().extract().path("statusReason");
            assertThat(reason).isEqualTo("step 0 setWeight failed: POST /rollwatch/v1/traffic failed: no complete "
                    + "answer within " + timeoutMs + " ms (after " + config.httpDriver().maxAttempts()
                    + " attempts)");
            assertThat(reason).doesNotContain("REMOTE").doesNotContain("BODY");
        }
        long endedAfterMs = (System.nanoTime() - hangingSince) / 1_000_000;
        assertThat(endedAfterMs).as("all dripping calls ended by their deadlines")
                .isLessThan(config.httpDriver().maxAttempts() * (timeoutMs + config.httpDriver().maxBackoff()
                        .toMillis()) + 5000);
        await().atMost(Duration.ofSeconds(5)).until(() -> target.dripping() == drippingBefore);
    }
}
