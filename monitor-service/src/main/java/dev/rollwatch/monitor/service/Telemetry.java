package dev.rollwatch.monitor.service;

/**
 * Whether a watch start or a measurement counts and logs what it did. Every real event, sample and reading is
 * {@link #RECORDED}; {@link #SILENT} is the start-up warm-up's rehearsal of the same code
 * ({@code rest/BreachWarmup}, in a transaction that is rolled back), which must leave no meter and no log line: its
 * watch and breach never happened.
 */
public enum Telemetry {
    RECORDED,
    SILENT;

    /** Whether meters are incremented and the INFO/WARN lines written. */
    public boolean recorded() {
        return this == RECORDED;
    }
}
