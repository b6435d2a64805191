package dev.rollwatch.deploy.admission;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A deployment policy as written (the body of {@code PUT /api/v1/deployment-policies/{service}/{environment}}) and
 * as stored: what must have happened before a deployment may start ({@code requires}), when deployments may start
 * ({@code windows}) and when they may not ({@code freezes}). Parsed and checked by {@link PolicyRules#parse}.
 */
public record PolicyDocument(
        @Size(max = 20) List<@NotNull @Valid Requirement> requires,
        @Size(max = 50) List<@NotNull @Valid Window> windows,
        @Size(max = 200) List<@NotNull @Valid Freeze> freezes) {

    static final String NAME = "[a-z0-9][a-z0-9._-]*";

    public PolicyDocument {
        requires = requires == null ? List.of() : List.copyOf(requires);
        windows = windows == null ? List.of() : List.copyOf(windows);
        freezes = freezes == null ? List.of() : List.copyOf(freezes);
    }

    /**
     * The same version must have SUCCEEDED in {@code environment} at least {@code minAge} before (runbooks 000,
     * 001, 002, 004: staging stable 24–48 h). {@code minAge}: {@code 24h}, {@code 90m}, {@code PT48H}.
     */
    public record Requirement(
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must be lowercase letters, digits, . _ -")
            String environment,
            @Size(max = 40) String minAge) {
    }

    /**
     * When deployments may start: on {@code days} (MON…SUN or MONDAY…SUNDAY; absent: every day) from {@code from}
     * to {@code to} (HH:mm local time in {@code zone}, {@code to} exclusive, up to 24:00).
     */
    public record Window(
            @Size(max = 100) String name,
            @Size(max = 7) List<@NotBlank @Size(max = 10) String> days,
            @NotBlank @Size(max = 5) String from,
            @NotBlank @Size(max = 5) String to,
            @Size(max = 64) String zone) {
    }

    /** No deployment may start from {@code from} to {@code to} (RFC 3339 instants, {@code to} exclusive). */
    public record Freeze(
            @NotBlank @Size(max = 40) String from,
            @NotBlank @Size(max = 40) String to,
            @NotBlank @Size(max = 500) String reason) {
    }
}
