package dev.rollwatch.events;

/** The notifier gave up on the alert for {@code eventId} on one channel. Topic {@code notification-outcomes}. */
public record NotificationFailed(String channel, String channelType, String eventId, String eventType,
        int attempts, String status, String error) implements EventData {
    public NotificationFailed {
        Require.text(channel, "channel");
        Require.text(eventId, "eventId");
    }
}
