package dev.rollwatch.notifier.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of {@code /api/v1/channels}. */
public final class ChannelRequests {

    static final String NAME = "[a-z0-9][a-z0-9._-]*";
    static final String NAME_MESSAGE = "must be lowercase letters, digits, . _ -";

    private ChannelRequests() {
    }

    /** A new channel. {@code secret} (webhook only): {@code whsec_} + base64 of at least 16 bytes. */
    public record CreateChannel(
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
            @NotBlank @Size(max = 32) String type,
            @Size(max = 2048) String url,
            @Size(max = 500) String secret) {
    }

    /** A change to a channel: any field left out stays as it is; {@code enabled: true} re-enables it. */
    public record UpdateChannel(
            @Size(max = 2048) String url,
            @Size(max = 500) String secret,
            Boolean enabled) {
    }
}
