package dev.rollwatch.monitor.service;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Verdict;
import dev.rollwatch.monitor.domain.Measurement;
import dev.rollwatch.monitor.domain.WatchStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A watch as the analysis API shows it: the deployment, every check's state and verdict, the breaches emitted. */
public record AnalysisView(String deploymentId, String service, String environment, String version,
        String previousVersion, String metricsUrl, WatchStatus status, Integer stepIndex, Integer weight,
        DeploymentOutcome finishOutcome, Instant bakeUntil, Instant startedAt, Instant stoppedAt,
        String causationId, Verdict verdict, List<CheckView> checks, List<BreachView> breaches) {

    public record CheckView(String name, String provider, String metric, String query, Double min, Double max,
            Duration interval, Duration window, int failureLimit, int consecutiveErrorLimit, Severity severity,
            Verdict verdict, boolean inBreach, int measurements, int failures, int totalFailures,
            int consecutiveErrors, int episodes, Double lastValue, Instant lastObservedAt,
            List<Measurement> recent, Measure measure, String ruleVersion, Double baselineValue,
            Instant baselineObservedAt) {
    }

    public record BreachView(String eventId, String check, String metric, int episode, Severity severity,
            List<Double> observed, Operator operator, double threshold, int failures, int failureLimit,
            Integer stepIndex, Instant observedAt, Instant emittedAt, Measure measure, Double baseline,
            String ruleVersion, Instant recoveredAt, String recoveryEventId) {
    }
}
