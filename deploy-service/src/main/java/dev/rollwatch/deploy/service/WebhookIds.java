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

    public static String rollback(UUID deploymentId) {
        return "msg_" + deploymentId + "_rollback";
    }

    /** One per deployment: a deployment finalizes at most once, after its last step (promoted or not). */
    public static String finalize(UUID deploymentId) {
        return "msg_" + deploymentId + "_finalize";
    }
}
