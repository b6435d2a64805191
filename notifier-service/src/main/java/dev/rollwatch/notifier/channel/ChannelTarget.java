package dev.rollwatch.notifier.channel;

/** A channel as a sender needs it, read when the attempt starts. */
public record ChannelTarget(String name, String type, String url, String secret) {
}
