package dev.rollwatch.events;

/**
 * How a rollback ended. SUCCEEDED: the target runs the restored version and its health probe passed. UNVERIFIED: the
 * target accepted the rollback but the restored version's health probe failed (not a success: escalated at P0).
 * FAILED: the target refused or never answered. STEPPED_BACK: the strategy said to step back, and the target went
 * back to the previous phase's weight instead of the previous version.
 */
public enum RollbackOutcome { SUCCEEDED, FAILED, UNVERIFIED, STEPPED_BACK }
