package dev.rollwatch.events;

import java.util.List;

/**
 * Kafka topic names of the contract. The record key is the deployment id, except on {@link #POLICY_CHANGES}
 * ({@code <service>/<environment>}) and {@link #AUDIT_CHECKPOINTS} ({@code audit}).
 */
public final class Topics {
    public static final String DEPLOYMENT_STARTED = "deployment-started";
    public static final String STEP_STARTED = "step-started";
    public static final String STEP_COMPLETED = "step-completed";
    public static final String ANALYSIS_COMPLETED = "analysis-completed";
    public static final String THRESHOLD_BREACHED = "threshold-breached";
    public static final String THRESHOLD_RECOVERED = "threshold-recovered";
    public static final String ROLLBACK_REQUESTED = "rollback-requested";
    public static final String ROLLBACK_COMPLETED = "rollback-completed";
    public static final String DEPLOYMENT_FINISHED = "deployment-finished";
    public static final String DEPLOYMENT_COMMANDS = "deployment-commands";
    public static final String NOTIFICATION_OUTCOMES = "notification-outcomes";
    public static final String ROLLBACK_ESCALATED = "rollback-escalated";
    public static final String ROLLBACK_DECISIONS = "rollback-decisions";
    /** RollbackVerified: whether the restored version is healthy after a rollback. */
    public static final String ROLLBACK_VERIFICATIONS = "rollback-verifications";
    /** BakeCheckpoint: the bake window's checkpoints after a deployment SUCCEEDED. */
    public static final String BAKE_CHECKPOINTS = "bake-checkpoints";
    /** ApprovalRequested: a deployment waits for a person. */
    public static final String APPROVAL_REQUESTS = "approval-requests";
    /** Keyed by {@code <service>/<environment>} of the policy's scope. */
    public static final String POLICY_CHANGES = "policy-changes";
    /** Keyed by {@code audit}. */
    public static final String AUDIT_CHECKPOINTS = "audit-checkpoints";
    /** Measurements pushed to the monitor ({@link SamplesReported}): an input, not part of the audited record. */
    public static final String METRIC_SAMPLES = "metric-samples";
    /** Re-published history; records carry {@link #REPLAY_HEADER}. */
    public static final String AUDIT_REPLAY = "audit-replay";
    public static final String REPLAY_HEADER = "rollwatch-replay";
    /**
     * Where each service's start-up warm-up sends a few records through its outbox producer, so that the first real
     * event is not the first send (docs/performance.md, target 1). Not a contract topic: no event, nobody reads it,
     * one partition, kept an hour.
     */
    public static final String PRODUCER_WARMUP = "producer-warmup";

    /** Every topic that carries contract events, in flow order. */
    public static final List<String> ALL = List.of(DEPLOYMENT_STARTED, STEP_STARTED, STEP_COMPLETED,
            ANALYSIS_COMPLETED, THRESHOLD_BREACHED, THRESHOLD_RECOVERED, ROLLBACK_REQUESTED, ROLLBACK_COMPLETED,
            DEPLOYMENT_FINISHED, DEPLOYMENT_COMMANDS, NOTIFICATION_OUTCOMES, ROLLBACK_ESCALATED, ROLLBACK_DECISIONS,
            POLICY_CHANGES, AUDIT_CHECKPOINTS, ROLLBACK_VERIFICATIONS, BAKE_CHECKPOINTS, APPROVAL_REQUESTS);

    /** Topics that carry inputs to Rollwatch rather than its decisions: not appended to the audit log. */
    public static final List<String> INPUTS = List.of(METRIC_SAMPLES);

    private Topics() {
    }

    /** The dead-letter topic of a topic: poison records land there with the reason in headers. */
    public static String dlq(String topic) {
        return topic + ".dlq";
    }
}
