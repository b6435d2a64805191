package dev.rollwatch.monitor.rest;

import dev.rollwatch.monitor.service.SampleEvaluator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** The push provider's request and response bodies. */
public final class SampleRequests {

    private SampleRequests() {
    }

    /** {@code {"deploymentId": "...", "samples": [{"metric": "error_rate", "value": 0.08}]}} */
    public record PostSamples(
            @NotBlank @Size(max = 64) String deploymentId,
            @NotNull @Size(min = 1) List<@NotNull @Valid Sample> samples) {
    }

    /**
     * One measured value. {@code observedAt} defaults to the time the monitor received it; {@code version} to the
     * version under watch (the canary).
     */
    public record Sample(
            @NotBlank @Size(max = 200) String metric,
            @NotNull Double value,
            Instant observedAt,
            @Size(max = 128) String version) {

        SampleEvaluator.Sample toSample() {
            return new SampleEvaluator.Sample(metric, value, observedAt, version);
        }
    }

    /** 202: what every sample was judged by, and the breach each one opened, if any. */
    public record SamplesAccepted(String deploymentId, int samples, int measurements, List<String> breachEventIds,
            List<SampleEvaluator.SampleEvaluation> evaluated) {
    }
}
