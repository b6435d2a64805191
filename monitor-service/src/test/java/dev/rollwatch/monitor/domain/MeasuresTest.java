package dev.rollwatch.monitor.domain;

import dev.rollwatch.events.Measure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MeasuresTest {

    static final double MB = 1024 * 1024;
    static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");

    static Measures.Point at(long seconds, double value) {
        return Measures.point(T0.plusSeconds(seconds), value);
    }

    @Test
    void theSlopeOfALinearGrowthIsItsRatePerHour() {
        // 12 MB/h = 200 kB/min, sampled every 5 s for 5 minutes.
        List<Measures.Point> points = new ArrayList<>();
        for (int s = 0; s <= 300; s += 5) {
            points.add(at(s, 180 * MB + 12 * MB * s / 3600.0));
        }
        assertThat(Measures.slopePerHour(points)).isCloseTo(12 * MB, within(1e-3));
        assertThat(Measures.slopePerHour(List.of(at(0, 5), at(1800, 5)))).isEqualTo(0.0);
        assertThat(Measures.slopePerHour(List.of(at(0, 100), at(3600, 40)))).isCloseTo(-60.0, within(1e-9));
    }

    @Test
    void theSlopeIsLeastSquaresNotEndToEnd() {
        // y = 0, 10, 0, 10 at x = 0, 1, 2, 3 (hours): least squares gives 2 per hour; end to end would be 3.33.
        assertThat(Measures.slopePerHour(List.of(at(0, 0), at(3600, 10), at(7200, 0), at(10800, 10))))
                .isCloseTo(2.0, within(1e-9));
    }

    @Test
    void fewerThanTwoPointsOrNoTimeBetweenThemIsNoData() {
        assertThat(Measures.slopePerHour(List.of())).isNull();
        assertThat(Measures.slopePerHour(List.of(at(0, 1)))).isNull();
        assertThat(Measures.slopePerHour(List.of(at(10, 1), at(10, 5)))).isNull();
        Measures.Figure none = Measures.figure(Measure.GROWTH_PER_HOUR, 1, null, List.of(at(0, 1)));
        assertThat(none.computed()).isFalse();
        assertThat(none.value()).isNull();
        assertThat(none.missing()).startsWith("no data");
    }

    @Test
    void theTrendKeepsOnlyTheWindowInTimeOrder() {
        List<Measures.Point> trend = List.of(at(0, 1), at(30, 2), at(60, 3));
        assertThat(Measures.within(trend, at(100, 4), Duration.ofSeconds(60)))
                .containsExactly(at(60, 3), at(100, 4));
        // A late point goes where it belongs.
        assertThat(Measures.within(trend, at(45, 9), Duration.ofMinutes(5)))
                .containsExactly(at(0, 1), at(30, 2), at(45, 9), at(60, 3));
    }

    @Test
    void ratioAndDifferenceCompareTheCanaryWithTheStableVersion() {
        Measures.Figure ratio = Measures.figure(Measure.BASELINE_RATIO, 0.3, 0.2, List.of());
        assertThat(ratio.value()).isCloseTo(1.5, within(1e-12));
        assertThat(ratio.baseline()).isEqualTo(0.2);
        Measures.Figure difference = Measures.figure(Measure.BASELINE_DIFFERENCE, 0.3, 0.2, List.of());
        assertThat(difference.value()).isCloseTo(0.1, within(1e-12));
        assertThat(difference.baseline()).isEqualTo(0.2);
        assertThat(Measures.figure(Measure.VALUE, 0.3, 0.2, List.of()).value()).isEqualTo(0.3);
    }

    @Test
    void noBaselineIsNoFigureNeverAPass() {
        for (Measure m : List.of(Measure.BASELINE_RATIO, Measure.BASELINE_DIFFERENCE)) {
            Measures.Figure f = Measures.figure(m, 0.3, null, List.of());
            assertThat(f.computed()).isFalse();
            assertThat(f.value()).isNull();
            assertThat(f.missing()).startsWith("no baseline");
        }
        Measures.Figure zero = Measures.ratio(0.3, 0.0);
        assertThat(zero.computed()).isFalse();
        assertThat(zero.missing()).contains("undefined");
        // And a missing figure is ERROR for the check, not a pass.
        CheckRule rule = new CheckRule("r", "push", "m", null, null, 2.0, null, null, 1, 4, dev.rollwatch.events
                .Severity.P2, Measure.BASELINE_RATIO);
        assertThat(Assessment.judge(rule, Measures.ratio(0.3, null).value())).isEqualTo(MeasurementOutcome.ERROR);
    }
}
