package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Verdict;
import dev.rollwatch.monitor.domain.Assessment;
import dev.rollwatch.monitor.domain.Breach;
import dev.rollwatch.monitor.domain.CheckProgress;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.repository.BreachRepository;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/** Reads a watch, its checks and its breaches into the analysis view. */
@ApplicationScoped
public class AnalysisQuery {

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final BreachRepository breaches;

    public AnalysisQuery(WatchRepository watches, CheckStateRepository checks, BreachRepository breaches) {
        this.watches = watches;
        this.checks = checks;
        this.breaches = breaches;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<AnalysisView> find(String deploymentId) {
        return watches.findByIdOptional(deploymentId).map(this::view);
    }

    /** The service of a deployment's watch, if it has one: what the caller's service scope is checked against. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> serviceOf(String deploymentId) {
        return watches.serviceOf(deploymentId);
    }

    private AnalysisView view(Watch w) {
        List<AnalysisView.CheckView> checkViews = checks.forDeployment(w.deploymentId).stream()
                .map(AnalysisQuery::check).toList();
        List<AnalysisView.BreachView> breachViews = breaches.forDeployment(w.deploymentId).stream()
                .map(AnalysisQuery::breach).toList();
        return new AnalysisView(w.deploymentId, w.service, w.environment, w.version, w.previousVersion,
                w.metricsUrl, w.status, w.stepIndex, w.weight, w.finishOutcome, w.bakeUntil, w.createdAt,
                w.stoppedAt, w.startedEventId, overall(checkViews), checkViews, breachViews);
    }

    /**
     * The worst verdict of the checks; a built-in check that has measured nothing (the target does not expose its
     * metric) is not counted, as in {@link CheckFigures}.
     */
    static Verdict overall(List<AnalysisView.CheckView> checks) {
        return Assessment.worst(checks.stream()
                .filter(c -> !(c.measurements() == 0 && CheckRule.BUILTIN_VERSION.equals(c.ruleVersion())))
                .map(AnalysisView.CheckView::verdict).toList());
    }

    private static AnalysisView.CheckView check(CheckState s) {
        CheckRule rule = s.rule();
        CheckProgress p = new CheckProgress(s.measurements, s.failures, s.totalFailures, s.consecutiveErrors,
                s.inBreach, s.episodes, Json.doubles(s.failingValues));
        return new AnalysisView.CheckView(s.name, s.provider, s.metric, s.query, s.minValue, s.maxValue,
                rule.interval(), rule.window(), s.failureLimit, s.consecutiveErrorLimit, s.severity,
                Assessment.verdict(p, rule), s.inBreach, s.measurements, s.failures, s.totalFailures,
                s.consecutiveErrors, s.episodes, s.lastValue, s.lastObservedAt, Json.measurements(s.recent),
                s.measure, s.ruleVersion, s.baselineValue, s.baselineObservedAt);
    }

    private static AnalysisView.BreachView breach(Breach b) {
        return new AnalysisView.BreachView(b.eventId, b.checkName, b.metric, b.episode, b.severity,
                Json.doubles(b.observed), b.operator, b.threshold, b.failures, b.failureLimit, b.stepIndex,
                b.observedAt, b.emittedAt, b.measure, b.baseline, b.ruleVersion, b.recoveredAt, b.recoveryEventId);
    }
}
