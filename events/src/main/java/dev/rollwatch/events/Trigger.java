package dev.rollwatch.events;

/** What asked for a rollback. */
public enum Trigger { AUTOMATIC, MANUAL }
