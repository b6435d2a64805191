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
    void aStepBackIsFollowedButALateEventAboutAnEarlierStepIsNot() {
        Watch w = active();
        Instant t = NOW;
        assertThat(w.follow(0, 5, t, NOW)).isTrue();
        assertThat(w.follow(1, 25, t.plusSeconds(10), NOW)).isTrue();
        assertThat(w.follow(2, null, t.plusSeconds(11), NOW)).isTrue();
        assertThat(w.follow(0, 5, t.plusSeconds(1), NOW)).as("a late event about an earlier step").isFalse();
        assertThat(w.follow(1, 25, t.plusSeconds(11), NOW)).as("as old as the latest followed: not later").isFalse();
        assertThat(w.weight).isEqualTo(25);

        // The step back: the previous phase's setWeight again, later than everything followed.
        assertThat(w.follow(0, 5, t.plusSeconds(60), NOW)).isTrue();
        assertThat(w.stepIndex).isZero();
        assertThat(w.weight).as("the weight of the latest weight-changing event").isEqualTo(5);
        assertThat(w.stepBacks).isEqualTo(1);
        // The phase retried from its setWeight.
        assertThat(w.follow(1, 25, t.plusSeconds(61), NOW)).isTrue();
        assertThat(w.follow(2, null, t.plusSeconds(62), NOW)).isTrue();
        assertThat(w.stepIndex).isEqualTo(2);
        assertThat(w.weight).isEqualTo(25);
        // A late copy of the step back's setWeight stays ignored.
        assertThat(w.follow(0, 5, t.plusSeconds(60), NOW)).isFalse();
        assertThat(w.weight).isEqualTo(25);
        assertThat(w.stepBacks).isEqualTo(1);
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
