package dev.rollwatch.monitor.domain;

/** One measurement judged against its check. ERROR (could not measure) is not FAILED (measured bad). */
public enum MeasurementOutcome { PASSED, FAILED, ERROR }
