package dev.rollwatch.notifier.channel;

import dev.rollwatch.notifier.domain.SendResult;

import java.util.Optional;

/** One kind of channel (one package per kind). Implementations never throw for a receiver's failure. */
public interface ChannelSender {

    /** The channel type this sender serves, e.g. {@code webhook}. */
    String type();

    /** Whether channels of this type need a secret (a signing secret, a routing key). */
    default boolean requiresSecret() {
        return false;
    }

    /**
     * Checks a secret before it is stored.
     *
     * @throws IllegalArgumentException with the reason a user can act on
     */
    default void checkSecret(String secret) {
    }

    /** Whether channels of this type need a destination ({@code url}). */
    default boolean requiresUrl() {
        return true;
    }

    /** The destination used when a channel is created without one. */
    default Optional<String> defaultUrl() {
        return Optional.empty();
    }

    /** Whether the destination is an http(s) URL, checked against the outbound policy. */
    default boolean httpDestination() {
        return true;
    }

    /**
     * Checks a destination that is not an http(s) URL (e.g. e-mail recipients) before it is stored.
     *
     * @throws IllegalArgumentException with the reason a user can act on
     */
    default void checkDestination(String destination) {
    }

    /** Whether the URL itself is a credential (shown redacted). */
    default boolean urlIsSecret() {
        return false;
    }

    SendResult send(ChannelTarget channel, OutgoingAlert alert);
}
