package dev.rollwatch.notifier.channel;

/** One alert to send, as recorded on its delivery. {@code eventPayload} is the notified CloudEvent's JSON. */
public record OutgoingAlert(String eventId, String eventType, String deploymentId, String severity, String service,
        String environment, String title, String text, String deploymentUrl, String timelineUrl,
        String eventPayload, String fallbackFor, int attempt) {
}
