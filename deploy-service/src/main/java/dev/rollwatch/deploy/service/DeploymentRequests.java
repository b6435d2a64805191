package dev.rollwatch.deploy.service;

import dev.rollwatch.events.Severity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The request bodies of the deployment API (the shapes of DESIGN.md's API sketch). */
public final class DeploymentRequests {

    private DeploymentRequests() {
    }

    static final String NAME = "[a-z0-9][a-z0-9._-]*";
    /** A release version, image tag or commit: semver (with pre-release and build metadata), 2.4.0-bad, a3f9c1e. */
    static final String VERSION = "[A-Za-z0-9][A-Za-z0-9._+-]*";
    static final String VERSION_MESSAGE = "must be letters, digits, . _ + - (a version, tag or commit)";

    /**
     * A deployment request. {@code target} may be left out when the service and environment have a registered target
     * (then it is used); given, it must name the registered URLs, or, when registration is not required and there is
     * none, the deployment's own.
     */
    public record CreateDeployment(
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must be lowercase letters, digits, . _ -")
            String service,
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must be lowercase letters, digits, . _ -")
            String environment,
            @NotBlank @Size(max = 128) @Pattern(regexp = VERSION, message = VERSION_MESSAGE) String version,
            @Size(max = 128) @Pattern(regexp = VERSION, message = VERSION_MESSAGE) String previousVersion,
            @Valid Target target,
            @Valid Strategy strategy,
            @Valid Analysis analysis,
            @Valid Override override,
            @Size(max = 32) String bakeWindow) {
    }

    /**
     * Start although the deployment policy refuses (environment order, window, freeze): operators only, with why.
     * Recorded on the deployment and in DeploymentStarted.override.
     */
    public record Override(@NotBlank @Size(max = 2000) String reason) {
    }

    public record Target(
            @Size(max = 32) String type,
            @NotBlank @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String url,
            @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String metricsUrl) {
    }

    /**
     * The steps, and what a failed phase does: {@code onFailure} {@code rollback} (default) or {@code stepBack} (to
     * the previous phase's weight), then {@code afterStepBack} {@code pause} (default) or {@code continue}.
     */
    public record Strategy(@Size(max = 50) List<@NotNull @Valid Step> steps,
            @Pattern(regexp = "rollback|stepBack", message = "must be rollback or stepBack") String onFailure,
            @Pattern(regexp = "pause|continue", message = "must be pause or continue") String afterStepBack) {
    }

    /** Exactly one member is set: {@code {"setWeight": 5}}, {@code {"pause": {}}}, ... */
    public record Step(
            @Min(0) @Max(100) Integer setWeight,
            @Valid Smoke smoke,
            @Valid AnalysisStep analysis,
            @Valid Timed pause) {
    }

    /** An analysis step: how long, and its own success criteria (e.g. {@code {"metric": "error_rate", "max": 0.005}}). */
    public record AnalysisStep(@Size(max = 32) String duration,
            @Size(max = 20) List<@NotNull @Valid Criterion> criteria) {
    }

    /** A step's success criterion: a check like {@code analysis.checks}, whose name may be left out. */
    public record Criterion(
            @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "must be letters, digits, . _ -")
            String name,
            @Size(max = 32) String provider,
            @NotBlank @Size(max = 200) String metric,
            @Size(max = 2000) String query,
            Double min,
            Double max,
            @Size(max = 32) String interval,
            @Size(max = 32) String window,
            @Min(1) Integer failureLimit,
            @Min(1) Integer consecutiveErrorLimit,
            Severity severity) {
    }

    public record Smoke(@NotNull @Size(min = 1, max = 20) List<@NotNull @Valid SmokeCheck> checks) {
    }

    public record SmokeCheck(
            @NotBlank @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
            String url,
            @Pattern(regexp = "GET|HEAD|POST", message = "must be GET, HEAD or POST") String method,
            @Min(100) @Max(599) Integer expectStatus,
            @Size(max = 500) String bodyContains,
            @Size(max = 32) String timeout,
            @Min(0) @Max(10) Integer retries,
            @Size(max = 20) java.util.Map<@NotBlank @Size(max = 100) String, @NotNull @Size(max = 2000) String> headers,
            @Size(max = 20) java.util.Map<@NotBlank @Size(max = 100) String, @NotNull @Size(max = 2000) String>
            expectHeaders,
            @Size(max = 20) java.util.Map<@NotBlank @Size(max = 500) String, Object> expectJson) {
    }

    /** A step with an optional duration like {@code "2m"}, {@code "30s"} or {@code "PT10M"}. */
    public record Timed(@Size(max = 32) String duration) {
    }

    public record Analysis(@Size(max = 50) List<@NotNull @Valid Check> checks) {
    }

    public record Check(
            @NotBlank @Size(max = 100) String name,
            @Size(max = 32) String provider,
            @NotBlank @Size(max = 200) String metric,
            @Size(max = 2000) String query,
            Double min,
            Double max,
            @Size(max = 32) String interval,
            @Size(max = 32) String window,
            @Min(1) Integer failureLimit,
            @Min(1) Integer consecutiveErrorLimit,
            Severity severity) {
    }
}
