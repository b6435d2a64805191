package dev.rollwatch.events;

/**
 * The {@code data} of a Rollwatch CloudEvent. Every event of the contract is one of these records; the
 * envelope's {@code type} is derived from the record through {@link EventType}, never from a Java class name.
 */
public sealed interface EventData permits DeploymentStarted, StepStarted, StepCompleted, AnalysisCompleted,
        ThresholdBreached, RollbackRequested, RollbackCompleted, DeploymentFinished, ApprovalGranted,
        DeploymentAborted, NotificationDelivered, NotificationFailed, RollbackEscalated, RollbackDecided, PolicyChanged,
        AuditCheckpointed, ThresholdRecovered, SamplesReported, RollbackVerified, BakeCheckpoint, ApprovalRequested {

    default EventType contractType() {
        return EventType.of(getClass());
    }
}
