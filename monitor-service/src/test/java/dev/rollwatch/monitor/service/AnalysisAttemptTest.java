package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Severity;
import dev.rollwatch.monitor.domain.CheckState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A step re-run after a step back: a new attempt with its own verdict event and criteria judged afresh. */
class AnalysisAttemptTest {

    @Test
    void eachAttemptOfAStepAnswersWithItsOwnEvent() {
        String first = AnalysisService.completedEventId("d1", 2, 0);
        assertThat(AnalysisService.completedEventId("d1", 2, 0)).as("deterministic").isEqualTo(first);
        assertThat(AnalysisService.completedEventId("d1", 2, 1)).as("the retry").isNotEqualTo(first)
                .isNotEqualTo(AnalysisService.completedEventId("d1", 2, 2));
        assertThat(AnalysisService.completedEventId("d1", 3, 0)).as("another step").isNotEqualTo(first);
    }

    @Test
    void aRetriedCriterionStartsAfreshButKeepsItsEpisodeCount() {
        CheckState c = new CheckState();
        c.name = "canary-error-rate@step2";
        c.severity = Severity.P1;
        c.stepIndex = 2;
        c.measurements = 3;
        c.failures = 1;
        c.totalFailures = 1;
        c.consecutiveErrors = 1;
        c.inBreach = true;
        c.episodes = 1;
        c.failingValues = "[0.008]";
        c.recent = "[0.008]";
        c.lastValue = 0.008;
        c.baselineValue = 0.001;

        c.retry();

        assertThat(c.progress().inBreach()).as("the open episode is closed").isFalse();
        assertThat(c.progress().failures()).isZero();
        assertThat(c.progress().totalFailures()).isZero();
        assertThat(c.progress().measurements()).isZero();
        assertThat(c.progress().failingValues()).as("no failing reading of the first attempt").isEmpty();
        assertThat(c.lastValue).isNull();
        assertThat(c.episodes).as("a failure of the retry is a new episode").isEqualTo(1);
        assertThat(c.baselineValue).as("the stable version's value is still valid").isEqualTo(0.001);
    }
}
