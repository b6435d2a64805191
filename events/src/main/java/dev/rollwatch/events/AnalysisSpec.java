package dev.rollwatch.events;

import java.util.List;

/** The checks a deployment asked for; empty means the monitor's built-in defaults. */
public record AnalysisSpec(List<CheckSpec> checks) {
    public AnalysisSpec {
        checks = Require.list(checks);
    }
}
