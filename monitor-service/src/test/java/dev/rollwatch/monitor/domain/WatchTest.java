package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.DeploymentOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WatchTest {

    private static final Instant NOW = Instant.parse("2026-03-02T14:00:00Z");

    static Watch active() {
        Watch w = new Watch();
        w.deploymentId = "d1";
        w.status = WatchStatus.ACTIVE;
        return w;
    }

    @Test
    void stepsOnlyMoveForward() {
        Watch w = active();
        assertThat(w.follow(2, 25, NOW)).isTrue();
        assertThat(w.follow(1, 5, NOW)).as("a late event about an earlier step").isFalse();
        assertThat(w.stepIndex).isEqualTo(2);
        assertThat(w.weight).isEqualTo(25);
        assertThat(w.follow(3, null, NOW)).isTrue();
        assertThat(w.weight).as("a step without a weight keeps the current one").isEqualTo(25);
    }

    @Test
    void successBakesThenStops() {
        Watch w = active();
        w.finish(DeploymentOutcome.SUCCEEDED, Duration.ofMinutes(10), NOW);
        assertThat(w.status).isEqualTo(WatchStatus.BAKING);
        assertThat(w.status.isWatching()).isTrue();
        assertThat(w.bakeUntil).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    }

    @Test
    void anyOtherOutcomeOrNoBakeWindowStopsAtOnce() {
        for (DeploymentOutcome outcome : new DeploymentOutcome[] {DeploymentOutcome.ROLLED_BACK,
                DeploymentOutcome.FAILED, DeploymentOutcome.ABORTED}) {
            Watch w = active();
            w.finish(outcome, Duration.ofMinutes(10), NOW);
            assertThat(w.status).as(outcome.name()).isEqualTo(WatchStatus.STOPPED);
            assertThat(w.stoppedAt).isEqualTo(NOW);
        }
        Watch w = active();
        w.finish(DeploymentOutcome.SUCCEEDED, Duration.ZERO, NOW);
        assertThat(w.status).isEqualTo(WatchStatus.STOPPED);
    }

    @Test
    void aStoppedWatchStaysStopped() {
        Watch w = active();
        w.finish(DeploymentOutcome.FAILED, null, NOW);
        w.finish(DeploymentOutcome.SUCCEEDED, Duration.ofMinutes(10), NOW.plusSeconds(1));
        assertThat(w.status).isEqualTo(WatchStatus.STOPPED);
        assertThat(w.finishOutcome).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(w.follow(5, 100, NOW)).isFalse();
    }

    @Test
    void breachIdsAreDeterministicPerEpisode() {
        assertThat(Breach.eventId("d1", "error-rate", 1)).isEqualTo(Breach.eventId("d1", "error-rate", 1))
                .isNotEqualTo(Breach.eventId("d1", "error-rate", 2))
                .isNotEqualTo(Breach.eventId("d2", "error-rate", 1));
    }
}
