package dev.rollwatch.notifier.rest;

import dev.rollwatch.notifier.domain.Delivery;
import dev.rollwatch.notifier.domain.DeliveryStatus;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * One delivery as the history shows it. {@code lastError} is ours (never a receiver's response body).
 * {@code repeats}: later repeats grouped into this one by flood control; {@code groupedInto}: for a GROUPED
 * delivery, the delivery it was counted on.
 */
public record DeliveryView(UUID id, String eventId, String eventType, String deploymentId, String channel,
        String channelType, List<String> fallbackFor, List<String> routes, String severity, String service,
        String environment, DeliveryStatus status, String outcome, int attempts, Integer lastStatusCode,
        String lastError, String title, String message, Instant createdAt, Instant updatedAt,
        Instant nextAttemptAt, Instant deliveredAt, Instant finishedAt, String alertKey, int repeats,
        UUID groupedInto) {

    static DeliveryView of(Delivery d) {
        return new DeliveryView(d.id, d.eventId, d.eventType, d.deploymentId, d.channel, d.channelType,
                split(d.fallbackFor), split(d.routes), d.severity, d.service, d.environment, d.status, d.outcome,
                d.attempts, d.lastStatusCode, d.lastError, d.title, d.message, d.createdAt, d.updatedAt,
                d.status == DeliveryStatus.PENDING ? d.nextAttemptAt : null, d.deliveredAt, d.finishedAt, d.alertKey,
                d.repeats, d.groupedInto);
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }

    /** A page of history, newest first. */
    public record Page(List<DeliveryView> items, int page, int size, long total) {
    }
}
