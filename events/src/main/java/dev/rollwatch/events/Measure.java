package dev.rollwatch.events;

/**
 * What a check compares with its {@code [min, max]} range. {@code VALUE} (the default) takes the metric as
 * measured for the version under watch. The baseline measures compare the new version with the stable version on
 * the same metric at the same time — Kayenta's canary-versus-baseline judgement — as a ratio ({@code new / stable})
 * or a difference ({@code new - stable}). {@code GROWTH_PER_HOUR} is a trend: the least-squares slope of the metric
 * over the check's window, in units per hour (e.g. memory growth in bytes per hour).
 */
public enum Measure {
    VALUE, BASELINE_RATIO, BASELINE_DIFFERENCE, GROWTH_PER_HOUR;

    public boolean comparesWithBaseline() {
        return this == BASELINE_RATIO || this == BASELINE_DIFFERENCE;
    }
}
