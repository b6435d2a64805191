package dev.rollwatch.deploy.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.rollwatch.deploy.domain.DeploymentStatus.ABORTED;
import static dev.rollwatch.deploy.domain.DeploymentStatus.AWAITING_APPROVAL;
import static dev.rollwatch.deploy.domain.DeploymentStatus.FAILED;
import static dev.rollwatch.deploy.domain.DeploymentStatus.PAUSED;
import static dev.rollwatch.deploy.domain.DeploymentStatus.PENDING;
import static dev.rollwatch.deploy.domain.DeploymentStatus.ROLLBACK_FAILED;
import static dev.rollwatch.deploy.domain.DeploymentStatus.ROLLED_BACK;
import static dev.rollwatch.deploy.domain.DeploymentStatus.ROLLING_BACK;
import static dev.rollwatch.deploy.domain.DeploymentStatus.RUNNING;
import static dev.rollwatch.deploy.domain.DeploymentStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole state machine, every (from, to) pair: exactly these moves are allowed. */
class DeploymentStatusTest {

    private static final Map<DeploymentStatus, Set<DeploymentStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, ABORTED, FAILED),
            RUNNING, EnumSet.of(AWAITING_APPROVAL, PAUSED, SUCCEEDED, ROLLING_BACK, ABORTED, FAILED),
            AWAITING_APPROVAL, EnumSet.of(RUNNING, ROLLING_BACK, ABORTED, FAILED),
            PAUSED, EnumSet.of(RUNNING, ROLLING_BACK, ABORTED, FAILED),
            // issue 15: after a step back, on to the retried phase (continue) or to an operator (pause)
            ROLLING_BACK, EnumSet.of(ROLLED_BACK, ROLLBACK_FAILED, RUNNING, AWAITING_APPROVAL),
            // issue 15: a breach in the bake window or an operator rolls a finished rollout back
            SUCCEEDED, EnumSet.of(ROLLING_BACK),
            ROLLED_BACK, EnumSet.noneOf(DeploymentStatus.class),
            ROLLBACK_FAILED, EnumSet.noneOf(DeploymentStatus.class),
            ABORTED, EnumSet.noneOf(DeploymentStatus.class),
            FAILED, EnumSet.noneOf(DeploymentStatus.class));

    @Test
    void exactlyTheseMovesAreAllowed() {
        List<String> wrong = new ArrayList<>();
        for (DeploymentStatus from : DeploymentStatus.values()) {
            for (DeploymentStatus to : DeploymentStatus.values()) {
                if (from.canMoveTo(to) != ALLOWED.get(from).contains(to)) {
                    wrong.add(from + " -> " + to + (from.canMoveTo(to) ? " allowed" : " refused"));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void succeededIsStillAnEndStateForEverythingButARollback() {
        assertThat(SUCCEEDED.isTerminal()).isTrue();
        assertThat(EnumSet.allOf(DeploymentStatus.class)).filteredOn(SUCCEEDED::canMoveTo)
                .containsExactly(ROLLING_BACK);
    }
}
