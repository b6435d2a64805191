package dev.rollwatch.audit;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.NotificationFailed;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.ThresholdBreached;

/**
 * What a consumer that knows nothing but the events would rebuild of a deployment: its status and running version
 * as the deploy service reports them, folded event by event.
 */
final class DeploymentProjection {

    record State(String deploymentId, String service, String environment, String status, String runningVersion,
            String attemptedVersion, int currentStep, int stepsCompleted, int breaches, int notifications) {
    }

    private String deploymentId;
    private String service;
    private String environment;
    private String status = "UNKNOWN";
    private String runningVersion;
    private String attemptedVersion;
    private int currentStep = -1;
    private int stepsCompleted;
    private int breaches;
    private int notifications;

    DeploymentProjection apply(Envelope<EventData> event) {
        EventData data = event.data();
        if (data instanceof DeploymentStarted d) {
            deploymentId = event.subject();
            service = d.service();
            environment = d.environment();
            runningVersion = d.version();
            attemptedVersion = d.version();
            status = "RUNNING";
        } else if (data instanceof StepStarted s) {
            currentStep = s.stepIndex();
        } else if (data instanceof StepCompleted) {
            stepsCompleted++;
        } else if (data instanceof ThresholdBreached) {
            breaches++;
        } else if (data instanceof RollbackRequested) {
            status = "ROLLING_BACK";
        } else if (data instanceof RollbackCompleted r) {
            if (r.outcome() == RollbackOutcome.SUCCEEDED) {
                runningVersion = r.toVersion();
                status = "ROLLED_BACK";
            } else {
                status = "ROLLBACK_FAILED";
            }
        } else if (data instanceof DeploymentFinished f) {
            status = f.outcome().name();
        } else if (data instanceof NotificationDelivered || data instanceof NotificationFailed) {
            notifications++;
        }
        // commands and analyses do not change what this projection shows
        return this;
    }

    State state() {
        return new State(deploymentId, service, environment, status, runningVersion, attemptedVersion, currentStep,
                stepsCompleted, breaches, notifications);
    }
}
