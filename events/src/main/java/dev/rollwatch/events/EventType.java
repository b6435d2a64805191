package dev.rollwatch.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type of the contract: its CloudEvents {@code type}, its topic and its data record. */
public enum EventType {
    DEPLOYMENT_STARTED("dev.rollwatch.deployment.started.v1", Topics.DEPLOYMENT_STARTED, DeploymentStarted.class),
    STEP_STARTED("dev.rollwatch.step.started.v1", Topics.STEP_STARTED, StepStarted.class),
    STEP_COMPLETED("dev.rollwatch.step.completed.v1", Topics.STEP_COMPLETED, StepCompleted.class),
    ANALYSIS_COMPLETED("dev.rollwatch.analysis.completed.v1", Topics.ANALYSIS_COMPLETED, AnalysisCompleted.class),
    THRESHOLD_BREACHED("dev.rollwatch.threshold.breached.v1", Topics.THRESHOLD_BREACHED, ThresholdBreached.class),
    ROLLBACK_REQUESTED("dev.rollwatch.rollback.requested.v1", Topics.ROLLBACK_REQUESTED, RollbackRequested.class),
    ROLLBACK_COMPLETED("dev.rollwatch.rollback.completed.v1", Topics.ROLLBACK_COMPLETED, RollbackCompleted.class),
    DEPLOYMENT_FINISHED("dev.rollwatch.deployment.finished.v1", Topics.DEPLOYMENT_FINISHED,
            DeploymentFinished.class),
    APPROVAL_GRANTED("dev.rollwatch.approval.granted.v1", Topics.DEPLOYMENT_COMMANDS, ApprovalGranted.class),
    DEPLOYMENT_ABORTED("dev.rollwatch.deployment.aborted.v1", Topics.DEPLOYMENT_COMMANDS, DeploymentAborted.class),
    NOTIFICATION_DELIVERED("dev.rollwatch.notification.delivered.v1", Topics.NOTIFICATION_OUTCOMES,
            NotificationDelivered.class),
    NOTIFICATION_FAILED("dev.rollwatch.notification.failed.v1", Topics.NOTIFICATION_OUTCOMES,
            NotificationFailed.class),
    ROLLBACK_ESCALATED("dev.rollwatch.rollback.escalated.v1", Topics.ROLLBACK_ESCALATED, RollbackEscalated.class),
    ROLLBACK_DECIDED("dev.rollwatch.rollback.decided.v1", Topics.ROLLBACK_DECISIONS, RollbackDecided.class),
    POLICY_CHANGED("dev.rollwatch.policy.changed.v1", Topics.POLICY_CHANGES, PolicyChanged.class),
    AUDIT_CHECKPOINTED("dev.rollwatch.audit.checkpointed.v1", Topics.AUDIT_CHECKPOINTS, AuditCheckpointed.class),
    THRESHOLD_RECOVERED("dev.rollwatch.threshold.recovered.v1", Topics.THRESHOLD_RECOVERED,
            ThresholdRecovered.class),
    SAMPLES_REPORTED("dev.rollwatch.samples.reported.v1", Topics.METRIC_SAMPLES, SamplesReported.class),
    ROLLBACK_VERIFIED("dev.rollwatch.rollback.verified.v1", Topics.ROLLBACK_VERIFICATIONS, RollbackVerified.class),
    BAKE_CHECKPOINT("dev.rollwatch.bake.checkpoint.v1", Topics.BAKE_CHECKPOINTS, BakeCheckpoint.class),
    APPROVAL_REQUESTED("dev.rollwatch.approval.requested.v1", Topics.APPROVAL_REQUESTS, ApprovalRequested.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    private final String type;
    private final String topic;
    private final Class<? extends EventData> dataClass;

    EventType(String type, String topic, Class<? extends EventData> dataClass) {
        this.type = type;
        this.topic = topic;
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} attribute, {@code dev.rollwatch.<noun>.<verb>.v<major>}. */
    public String type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** File name of this type's JSON Schema under {@code schemas/}. */
    public String schemaResource() {
        return "schemas/" + type + ".schema.json";
    }

    public static Optional<EventType> fromType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static EventType of(Class<? extends EventData> dataClass) {
        for (EventType t : values()) {
            if (t.dataClass == dataClass) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a contract event: " + dataClass.getName());
    }
}
