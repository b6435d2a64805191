package dev.rollwatch.cli;

import dev.rollwatch.cli.watch.ProgressRenderer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressRendererTest {

    private final ProgressRenderer renderer = new ProgressRenderer();

    @Test
    void firstSnapshotShowsThePlanTheStartedStepAndTheBar() {
        List<String> lines = renderer.update(Snapshots.deployment("RUNNING", 0, "RUNNING"));
        assertThat(lines).containsExactly(
                "checkout 2.4.0 to production (from 2.3.0), deployment " + Snapshots.ID,
                "  plan: setWeight 5% -> analysis 20s -> setWeight 25% -> analysis 20s -> setWeight 100%",
                "  > step 1/5  setWeight 5%     started",
                "  status RUNNING",
                "  [........................] 0/5 steps | weight 0% | RUNNING");
    }

    @Test
    void completedStepsWeightsAndStatusChangesAreReportedOnceEach() {
        renderer.update(Snapshots.deployment("RUNNING", 0, "RUNNING"));
        assertThat(renderer.update(Snapshots.deployment("RUNNING", 5, "SUCCEEDED", "RUNNING"))).containsExactly(
                "  ok step 1/5  setWeight 5%     SUCCEEDED in 500ms",
                "  > step 2/5  analysis 20s     started",
                "  [####....................] 1/5 steps | weight 5% | RUNNING");
        assertThat(renderer.update(Snapshots.deployment("RUNNING", 5, "SUCCEEDED", "RUNNING")))
                .as("an unchanged snapshot prints nothing").isEmpty();
        assertThat(renderer.update(Snapshots.deployment("ROLLING_BACK", 5, "SUCCEEDED", "ABORTED")))
                .containsExactly(
                        "  !! step 2/5  analysis 20s     ABORTED in 500ms",
                        "  status RUNNING -> ROLLING_BACK",
                        "  [####....................] 1/5 steps | weight 5% | ROLLING_BACK");
        assertThat(renderer.update(Snapshots.deployment("ROLLED_BACK", 0, "SUCCEEDED", "ABORTED")))
                .containsExactly("  status ROLLING_BACK -> ROLLED_BACK (rolled back to 2.3.0)",
                        "  [####....................] 1/5 steps | weight 0% | ROLLED_BACK");
    }

    @Test
    void aFullRolloutFillsTheBar() {
        List<String> lines = renderer.update(Snapshots.deployment("SUCCEEDED", 100, "SUCCEEDED", "SUCCEEDED",
                "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"));
        assertThat(lines).last().isEqualTo("  [########################] 5/5 steps | weight 100% | SUCCEEDED");
        assertThat(lines).filteredOn(l -> l.contains("SUCCEEDED in")).hasSize(5);
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(ProgressRenderer.human(java.time.Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(ProgressRenderer.human(java.time.Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(ProgressRenderer.human(java.time.Duration.ofMinutes(10))).isEqualTo("10m");
    }
}
