package dev.rollwatch.notifier.channel;

/** One alert to send, as recorded on its delivery. {@code eventPayload} is the notified CloudEvent's JSON. */
public record OutgoingAlert(String eventId, String eventType, String deploymentId, String severity, String service,
        String environment, String title, String text, String deploymentUrl, String timelineUrl,
        String eventPayload, String fallbackFor, int attempt) {

    /** The text without its title line and without the trailing links: the rule, the measured values, … */
    public String details() {
        String details = text.startsWith(title) ? text.substring(title.length()).strip() : text;
        int links = details.startsWith("Deployment: ") ? 0 : details.indexOf("\nDeployment: ");
        return links >= 0 ? details.substring(0, links) : details;
    }
}
