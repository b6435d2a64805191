package dev.rollwatch.demotarget.domain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A driver call the target applied, as evidence that it was really told to shift traffic, roll back or finalize.
 *
 * @param webhookId  the call's {@code webhook-id}, {@code null} if it came without one (only when unsigned calls are
 *                   accepted)
 * @param receivedAt when the call was first received and applied
 * @param deliveries how many times a call with this webhook id arrived; retries after the first change nothing
 * @param body       the JSON body exactly as applied
 */
@JsonPropertyOrder({"kind", "webhookId", "deploymentId", "service", "environment", "receivedAt", "deliveries", "body"})
public record DriverCall(CallKind kind, String webhookId, String deploymentId, String service, String environment,
        Instant receivedAt, int deliveries, JsonNode body) {
}
