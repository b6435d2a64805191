package dev.rollwatch.monitor.domain;

import java.util.List;

/**
 * What one check has seen so far in a watch.
 *
 * @param measurements      measurements taken (passed, failed or error)
 * @param failures          failed measurements in the current run; a passing measurement resets it
 * @param totalFailures     failed measurements over the whole watch
 * @param consecutiveErrors measurements in a row that could not be taken
 * @param inBreach          a breach episode is open: the limit was reached and no measurement has passed since
 * @param episodes          breach episodes so far (each one emitted one ThresholdBreached)
 * @param failingValues     the values of the current failing run, oldest first (at most {@link #KEPT_VALUES})
 */
public record CheckProgress(int measurements, int failures, int totalFailures, int consecutiveErrors,
        boolean inBreach, int episodes, List<Double> failingValues) {

    public static final int KEPT_VALUES = 10;

    public static final CheckProgress NONE = new CheckProgress(0, 0, 0, 0, false, 0, List.of());

    public CheckProgress {
        failingValues = failingValues == null ? List.of() : List.copyOf(failingValues);
    }
}
