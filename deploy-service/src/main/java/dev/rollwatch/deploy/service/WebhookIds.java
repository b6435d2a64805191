package dev.rollwatch.deploy.service;

import java.util.UUID;

/**
 * Deterministic {@code webhook-id}s: one per (deployment, step, kind of call). A call repeated after a crash or a
 * retry carries the same id, so the target (idempotent by id) applies it once; two different calls never share
 * one.
 */
public final class WebhookIds {

    private WebhookIds() {
    }

    public static String traffic(UUID deploymentId, int stepIndex) {
        return "msg_" + deploymentId + "_step" + stepIndex + "_traffic";
    }

    /** A setWeight of a run after a step back ({@code attempt} &gt; 0) is a new call, not a repeat of the first run's. */
    public static String traffic(UUID deploymentId, int stepIndex, int attempt) {
        return attempt == 0 ? traffic(deploymentId, stepIndex) : traffic(deploymentId, stepIndex) + "_" + attempt;
    }

    /** The traffic call of the step back that ends run {@code attempt}. */
    public static String stepBack(UUID deploymentId, int attempt) {
        return "msg_" + deploymentId + "_stepback" + attempt + "_traffic";
    }

    public static String rollback(UUID deploymentId) {
        return "msg_" + deploymentId + "_rollback";
    }

    /** One per deployment: a deployment finalizes at most once, after its last step (promoted or not). */
    public static String finalize(UUID deploymentId) {
        return "msg_" + deploymentId + "_finalize";
    }
}
