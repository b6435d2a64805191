package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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

/**
 * "P2 → roll back when it persists for a window": the monitor announces one breach per episode, so a P2 alert with
 * no newer breach of its check is still failing, and once the policy's window has passed it rolls back.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class PersistedBreachIT {

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
    void aP2BreachAloneAlertsAndTheSameP2PersistingPastItsWindowRollsBack() {
        String service = unique("persisting");
        Fixtures.policy(service, "\"repeatWindow\": \"2s\"");
        String id = Fixtures.start(kafka, service, "2.1.0", "2.0.0");
        Envelope<ThresholdBreached> episode = breach(id, service, "2.1.0", Severity.P2, "p95-latency", Instant.now());
        kafka.send(episode);

        Map<String, Object> alert = awaitDecisions(id, 1).get(0);
        assertThat(alert).containsEntry("action", "ALERT").containsEntry("rule", "p2-below-repeat-limit");

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyRule()).isEqualTo("p2-persisted");
        assertThat(rollback.data().breachEventIds()).containsExactly(episode.id());
        assertThat(rollback.causationId()).isEqualTo(episode.id());
        assertThat(rollback.data().detectedAt()).isEqualTo(episode.data().observedAt());
        assertThat(rollback.data().toVersion()).isEqualTo("2.0.0");
        assertThat(rollback.data().reason()).contains("not recovered within 2s");

        List<Map<String, Object>> decisions = awaitDecisions(id, 2);
        assertThat(actions(decisions)).containsExactly("ALERT", "ROLLBACK");
        Map<String, Object> followUp = decisions.get(1);
        assertThat(followUp).containsEntry("followsUp", alert.get("id")).containsEntry("rule", "p2-persisted")
                .containsEntry("breachEventId", episode.id()).containsEntry("rollbackEventId", rollback.id());
        Duration persisted = Duration.between(Instant.parse((String) alert.get("decidedAt")),
                Instant.parse((String) followUp.get("decidedAt")));
        assertThat(persisted).as("decided only once the window had passed").isGreaterThanOrEqualTo(
                Duration.ofSeconds(2));
        given().get("/api/v1/deployments/" + id).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("ROLLING_BACK"));
        // One follow-up, whatever the number of checks since.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(14)).until(() -> decisions(id).size() == 2);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).hasSize(1);
    }

    @Test
    void anEpisodeFollowedByANewerOneHasRecoveredOnlyTheOpenEpisodeRollsBack() {
        String service = unique("episodes");
        Fixtures.policy(service, "\"repeatWindow\": \"2s\", \"repeatCount\": 10");
        String id = Fixtures.start(kafka, service, "3.1.0", "3.0.0");
        Instant now = Instant.now();
        Envelope<ThresholdBreached> recovered = breach(id, service, "3.1.0", Severity.P2, "latency",
                now.minusMillis(500));
        Envelope<ThresholdBreached> open = breach(id, service, "3.1.0", Severity.P2, "latency", now);
        kafka.send(recovered);
        kafka.send(open);

        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);

        assertThat(rollback.data().breachEventIds()).containsExactly(open.id());
        assertThat(rollback.causationId()).isEqualTo(open.id());
        assertThat(actions(awaitDecisions(id, 3))).containsExactly("ALERT", "ALERT", "ROLLBACK");
    }

    @Test
    void aPersistingP2UnderAFreezeIsHeldAndPagedOnce() {
        String service = unique("persist-frozen");
        Fixtures.policy(service, "\"repeatWindow\": \"2s\", \"rollbackHold\": true");
        String id = Fixtures.start(kafka, service, "4.1.0", "4.0.0");
        Envelope<ThresholdBreached> episode = breach(id, service, "4.1.0", Severity.P2, "latency", Instant.now());
        kafka.send(episode);

        List<Map<String, Object>> decisions = awaitDecisions(id, 2);

        assertThat(actions(decisions)).containsExactly("ALERT", "ALERT");
        assertThat(decisions.get(1)).containsEntry("rule", "rollback-hold").containsEntry("followsUp",
                decisions.get(0).get("id"));
        List<RollbackDecided> published = await().atMost(WAIT).until(() -> kafka.eventsAbout(
                Topics.ROLLBACK_DECISIONS, id).stream().map(e -> e.as(RollbackDecided.class).data()).toList(),
                list -> list.size() >= 2);
        assertThat(published).extracting(RollbackDecided::action).containsExactly("ALERT", "HOLD");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(14)).until(() -> decisions(id).size() == 2);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void aDeploymentThatFinishedBeforeTheWindowPassedIsNotRolledBack() {
        String service = unique("persist-finished");
        Fixtures.policy(service, "\"repeatWindow\": \"3s\"");
        String id = Fixtures.start(kafka, service, "5.1.0", "5.0.0");
        kafka.send(breach(id, service, "5.1.0", Severity.P2, "latency", Instant.now()));
        awaitDecisions(id, 1);
        kafka.send(Fixtures.finished(id, service, "5.1.0", DeploymentOutcome.SUCCEEDED));
        await().atMost(WAIT).until(() -> "FINISHED".equals(
                given().get("/api/v1/deployments/" + id).then().extract().path("state")));

        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(17)).until(() -> decisions(id).size() == 1);
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }
}
