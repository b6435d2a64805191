package dev.rollwatch.events;

public enum RollbackOutcome { SUCCEEDED, FAILED }
