package dev.rollwatch.notifier.service;

import java.time.Instant;

/**
 * A channel as the API shows it: the secret never, only whether one is set; a URL that is itself a credential
 * (Slack) only as scheme and host.
 */
public record ChannelView(String name, String type, String url, boolean hasSecret, boolean enabled,
        String disabledReason, boolean builtin, Instant createdAt, Instant updatedAt) {
}
