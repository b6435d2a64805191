package dev.rollwatch.deploy.report;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceSummaryTest {

    @Test
    void theSuccessRateCountsFinishedDeploymentsAndIsMetAbove95Percent() {
        var rate = ServiceSummary.successRate(Map.of(DeploymentStatus.SUCCEEDED, 19L, DeploymentStatus.ROLLED_BACK,
                1L, DeploymentStatus.ABORTED, 5L, DeploymentStatus.RUNNING, 1L), 0.95);
        assertThat(rate.actual()).as("aborted and running not counted").isEqualTo(0.95);
        assertThat(rate.met()).as("95 % is not over 95 %").isFalse();
        var better = ServiceSummary.successRate(Map.of(DeploymentStatus.SUCCEEDED, 49L, DeploymentStatus.FAILED, 1L),
                0.95);
        assertThat(better.actual()).isEqualTo(0.98);
        assertThat(better.met()).isTrue();
        var none = ServiceSummary.successRate(Map.of(DeploymentStatus.ABORTED, 2L), 0.95);
        assertThat(none.actual()).isNull();
        assertThat(none.met()).isNull();
        assertThat(ServiceSummary.successRate(Map.of(DeploymentStatus.ROLLBACK_FAILED, 1L), 0.95).actual())
                .isEqualTo(0.0);
    }
}
