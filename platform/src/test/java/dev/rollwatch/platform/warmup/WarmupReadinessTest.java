package dev.rollwatch.platform.warmup;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What an orchestrator sees of the warm-up on {@code /q/health/ready}. */
class WarmupReadinessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void notReadyWhileTheWarmupRuns() {
        HealthCheckResponse r = WarmupReadiness.status(true, Optional.of(Duration.ofSeconds(3)), 0, TIMEOUT);

        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow()).containsEntry("warm-up", "running").containsEntry("runningMs", 3000L);
    }

    @Test
    void notReadyBeforeItsThreadStarted() {
        assertThat(WarmupReadiness.status(true, Optional.of(Duration.ZERO), 0, TIMEOUT).getStatus())
                .isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void readyOnceDoneWithWhatItTook() {
        HealthCheckResponse r = WarmupReadiness.status(true, Optional.empty(), 7_302, TIMEOUT);

        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getData().orElseThrow()).containsEntry("warm-up", "done").containsEntry("tookMs", 7_302L);
    }

    @Test
    void aSlowWarmupCostsSpeedNeverAvailability() {
        HealthCheckResponse r = WarmupReadiness.status(true, Optional.of(Duration.ofSeconds(61)), 0, TIMEOUT);

        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat((String) r.getData().orElseThrow().get("warm-up")).startsWith("still running");
    }

    @Test
    void readyAtOnceWhenDisabledOrTheWaitIsOff() {
        assertThat(WarmupReadiness.status(false, Optional.empty(), 0, TIMEOUT).getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(WarmupReadiness.status(true, Optional.of(Duration.ofMillis(5)), 0, Duration.ZERO).getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
    }
}
