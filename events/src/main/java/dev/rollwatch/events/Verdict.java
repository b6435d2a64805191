package dev.rollwatch.events;

/**
 * Argo's analysis vocabulary. ERROR (could not measure) is not FAILED (measured bad); no data is never
 * SUCCESSFUL.
 */
public enum Verdict { SUCCESSFUL, FAILED, INCONCLUSIVE, ERROR }
