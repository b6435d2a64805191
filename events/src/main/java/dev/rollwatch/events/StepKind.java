package dev.rollwatch.events;

/** The kinds of strategy step the deploy service runs. */
public enum StepKind { SET_WEIGHT, SMOKE, ANALYSIS, PAUSE }
