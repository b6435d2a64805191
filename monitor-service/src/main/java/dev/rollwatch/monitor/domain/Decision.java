package dev.rollwatch.monitor.domain;

/** What a measurement changed about a check, beyond its counters. */
public enum Decision {
    /** Nothing to announce. */
    NONE,
    /** The failure limit was reached: a new breach episode opens and one ThresholdBreached is emitted. */
    BREACH,
    /** A measurement passed while an episode was open: the episode closes; the next breach is a new one. */
    RECOVERED,
    /** The consecutive error limit was reached: the check cannot measure (ERROR, never a breach by itself). */
    ERROR_LIMIT
}
