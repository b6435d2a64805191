package dev.rollwatch.events;

import java.time.Instant;
import java.util.List;

/**
 * A breach episode ended: the check that breached ({@code breachEventId}, the episode's {@link ThresholdBreached})
 * measured good values again for as many measurements as its recovery rule asks ({@code observed} holds them,
 * oldest first). A later breach of the same check is a new episode with a new ThresholdBreached. Consumers that
 * wait for a breach to persist (the rollback service's P2 window) treat a recovered episode as not persisting;
 * because this event travels on its own topic, they must accept it before the breach it names, too.
 * Topic {@code threshold-recovered}, key = deployment id, caused by the breach.
 */
public record ThresholdRecovered(String service, String environment, String version, String check, String metric,
        String breachEventId, Instant breachedAt, Instant recoveredAt, List<Double> observed, double threshold,
        Operator operator, Severity severity, Integer stepIndex) implements EventData {

    public ThresholdRecovered {
        Require.text(service, "service");
        Require.text(environment, "environment");
        Require.text(check, "check");
        Require.text(metric, "metric");
        Require.text(breachEventId, "breachEventId");
        observed = Require.list(observed);
        Require.present(operator, "operator");
        Require.present(severity, "severity");
        Require.present(recoveredAt, "recoveredAt");
    }
}
