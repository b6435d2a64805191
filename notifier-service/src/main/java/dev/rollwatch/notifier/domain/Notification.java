package dev.rollwatch.notifier.domain;

/**
 * An alert rendered for people: a one-line {@code title} and a {@code text} with what a person needs to act
 * (service, environment, versions, the rule and measured value that fired, links).
 */
public record Notification(String title, String text, String deploymentUrl, String timelineUrl) {
}
