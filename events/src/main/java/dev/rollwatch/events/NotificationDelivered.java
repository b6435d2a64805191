package dev.rollwatch.events;

import java.time.Instant;

/** The notifier delivered the alert for {@code eventId} on one channel. Topic {@code notification-outcomes}. */
public record NotificationDelivered(String channel, String channelType, String eventId, String eventType,
        int attempts, String status, Instant deliveredAt) implements EventData {
    public NotificationDelivered {
        Require.text(channel, "channel");
        Require.text(eventId, "eventId");
    }
}
