package dev.rollwatch.notifier.channel;

import dev.rollwatch.notifier.domain.SendResult;

/** One kind of channel (one package per kind). Implementations never throw for a receiver's failure. */
public interface ChannelSender {

    /** The channel type this sender serves, e.g. {@code webhook}. */
    String type();

    /** Whether channels of this type need a signing secret. */
    default boolean requiresSecret() {
        return false;
    }

    /** Whether channels of this type send over HTTP to a URL. */
    default boolean requiresUrl() {
        return true;
    }

    /** Whether the URL itself is a credential (shown redacted). */
    default boolean urlIsSecret() {
        return false;
    }

    SendResult send(ChannelTarget channel, OutgoingAlert alert);
}
