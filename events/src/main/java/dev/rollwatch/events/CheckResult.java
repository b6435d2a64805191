package dev.rollwatch.events;

/** One check's outcome within an analysis, with the figures that decided it. */
public record CheckResult(String name, String metric, Verdict verdict, Double observed, Double min, Double max,
        int measurements, int failures, String message) {
    public CheckResult {
        Require.text(name, "result.name");
        Require.present(verdict, "result.verdict");
    }
}
