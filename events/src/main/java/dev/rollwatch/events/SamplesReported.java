package dev.rollwatch.events;

import java.util.List;

/**
 * Measurements for one deployment pushed by whoever has them (an agent, an exporter, a load generator), the
 * Kafka twin of the monitor's {@code POST /api/v1/samples}: the monitor judges each sample against the
 * deployment's checks the moment it arrives. An input, not a decision: the audit log records the breaches these
 * samples cause, not the samples. Topic {@code metric-samples}, key = deployment id (the envelope's subject).
 */
public record SamplesReported(String deploymentId, List<MetricSample> samples) implements EventData {
    public SamplesReported {
        Require.text(deploymentId, "deploymentId");
        samples = Require.list(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples must not be empty");
        }
    }
}
