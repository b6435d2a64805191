package dev.rollwatch.notifier.service;

import dev.rollwatch.events.Severity;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A route: events matching every given field (null = any) go to {@code channels}. {@code eventType} is one of
 * threshold-breached, rollback-requested, rollback-completed, deployment-started, deployment-finished,
 * rollback-escalated, rollback-decisions.
 * {@code name} is taken from the path on PUT. {@code service} and {@code environment} follow the naming rule of
 * deployments (lowercase letters, digits, . _ -), so a route can only name what can exist.
 */
public record RouteRequest(
        @Size(max = 100) @Pattern(regexp = ChannelRequests.NAME, message = ChannelRequests.NAME_MESSAGE) String name,
        @Size(max = 64) String eventType,
        Severity severity,
        @Size(max = 100) @Pattern(regexp = OPTIONAL_NAME, message = ChannelRequests.NAME_MESSAGE) String service,
        @Size(max = 100) @Pattern(regexp = OPTIONAL_NAME, message = ChannelRequests.NAME_MESSAGE) String environment,
        @NotNull @NotEmpty @Size(max = 20) List<@NotBlank @Size(max = 100) @Pattern(regexp = ChannelRequests.NAME,
                message = ChannelRequests.NAME_MESSAGE) String> channels) {

    /** A name, or blank (= any). */
    static final String OPTIONAL_NAME = "(" + ChannelRequests.NAME + ")?";
}
