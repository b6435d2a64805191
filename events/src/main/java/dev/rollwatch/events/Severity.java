package dev.rollwatch.events;

/** The runbooks' severities: P1 rolls back at once, P2 on condition, P3 notifies only. */
public enum Severity { P1, P2, P3 }
