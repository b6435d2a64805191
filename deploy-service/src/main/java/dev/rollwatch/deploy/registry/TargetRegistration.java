package dev.rollwatch.deploy.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code PUT /api/v1/services/{service}/environments/{environment}}. {@code signingSecret} is write-only:
 * absent keeps the one stored (unless {@code targetUrl} changes: then it must be given again), {@code ""} removes it.
 */
public record TargetRegistration(
        @NotBlank @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
        String targetUrl,
        @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String metricsUrl,
        @Size(max = 50) List<@NotNull @Size(max = 260) String> smokeHosts,
        @Size(max = 512) String signingSecret) {
}
