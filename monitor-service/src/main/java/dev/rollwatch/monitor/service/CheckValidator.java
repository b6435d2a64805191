package dev.rollwatch.monitor.service;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Severity;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import dev.rollwatch.monitor.provider.prometheus.PrometheusProvider;
import dev.rollwatch.monitor.provider.prometheus.PrometheusQueries;
import dev.rollwatch.monitor.provider.push.PushProvider;
import dev.rollwatch.monitor.provider.scrape.ScrapeProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is wrong with a deployment's check specs, as a pure function: everything the monitor would otherwise only
 * discover while watching (as INCONCLUSIVE or ERROR), said up front.
 */
public final class CheckValidator {

    public static final Set<String> PROVIDERS = Set.of(ScrapeProvider.NAME, PrometheusProvider.NAME,
            PushProvider.NAME);

    /** Stands for the deployment's service when a validation does not name one. */
    private static final String ANY_SERVICE = "rollwatch-validation-service";
    private static final PrometheusQueries RAW_ONLY = new PrometheusQueries(java.util.Map.of(), true);

    private CheckValidator() {
    }

    /**
     * A check as submitted: the {@link CheckSpec} fields, none of them required yet; {@code measure} as text, so an
     * unknown one is a problem of the check rather than an unreadable body.
     */
    public record Candidate(String name, String provider, String metric, String query, Double min, Double max,
            Duration interval, Duration window, Integer failureLimit, Integer consecutiveErrorLimit,
            Severity severity, String measure) {

        /** A check of the value itself. */
        public Candidate(String name, String provider, String metric, String query, Double min, Double max,
                Duration interval, Duration window, Integer failureLimit, Integer consecutiveErrorLimit,
                Severity severity) {
            this(name, provider, metric, query, min, max, interval, window, failureLimit, consecutiveErrorLimit,
                    severity, null);
        }

        /** The contract's spec; only for a candidate without problems. */
        public CheckSpec toSpec() {
            return new CheckSpec(name, provider, metric, query, min, max, interval, window, failureLimit,
                    consecutiveErrorLimit, severity, measure == null ? null : Measure.valueOf(measure));
        }
    }

    /** One problem: the index of the check, the field, and what is wrong. */
    public record Problem(int check, String field, String message) {
    }

    /** The problems of checks for a deployment whose previous (stable) version is not known. */
    public static List<Problem> problems(List<Candidate> checks) {
        return problems(checks, null);
    }

    /**
     * The problems of checks for a deployment replacing {@code previousVersion} (null: a first deployment, or not
     * said), which a check comparing with the baseline needs.
     */
    public static List<Problem> problems(List<Candidate> checks, String previousVersion) {
        return problems(checks, previousVersion, RAW_ONLY, null);
    }

    /**
     * The problems of checks for a deployment of {@code service} (null: not said; a raw query must then select with
     * {@code service="{{service}}"}) replacing {@code previousVersion}, with the monitor's query rules.
     */
    public static List<Problem> problems(List<Candidate> checks, String previousVersion, PrometheusQueries queries,
            String service) {
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < checks.size(); i++) {
            Candidate c = checks.get(i);
            if (c == null) {
                problems.add(new Problem(i, "", "a check is required"));
                continue;
            }
            if (c.name() == null || c.name().isBlank()) {
                problems.add(new Problem(i, "name", "must not be blank"));
            } else if (!names.add(c.name())) {
                problems.add(new Problem(i, "name", "duplicate check name " + c.name()));
            } else if (EpisodeEvents.AVAILABILITY.equals(c.name()) || c.name().contains("@step")) {
                problems.add(new Problem(i, "name", "the name " + c.name() + " is reserved: 'availability' names the "
                        + "outage episodes, '<name>@step<n>' a step's own criteria"));
            }
            if (c.metric() == null || c.metric().isBlank()) {
                problems.add(new Problem(i, "metric", "must not be blank"));
            }
            if (c.min() == null && c.max() == null) {
                problems.add(new Problem(i, "max", "a check needs min or max"));
            }
            if (c.min() != null && c.max() != null && c.min() > c.max()) {
                problems.add(new Problem(i, "min", "min " + c.min() + " is above max " + c.max()));
            }
            if (c.failureLimit() != null && c.failureLimit() < 1) {
                problems.add(new Problem(i, "failureLimit", "must be at least 1"));
            }
            if (c.consecutiveErrorLimit() != null && c.consecutiveErrorLimit() < 1) {
                problems.add(new Problem(i, "consecutiveErrorLimit", "must be at least 1"));
            }
            if (c.interval() != null && !positive(c.interval())) {
                problems.add(new Problem(i, "interval", "must be positive"));
            }
            if (c.window() != null && !positive(c.window())) {
                problems.add(new Problem(i, "window", "must be positive"));
            }
            measure(i, c, previousVersion, problems);
            provider(i, c, problems, queries, service);
        }
        return problems;
    }

    private static void measure(int i, Candidate c, String previousVersion, List<Problem> problems) {
        if (c.measure() == null) {
            return;
        }
        Measure measure = Arrays.stream(Measure.values()).filter(m -> m.name().equals(c.measure())).findFirst()
                .orElse(null);
        if (measure == null) {
            problems.add(new Problem(i, "measure", "unknown measure " + c.measure() + " (known: "
                    + String.join(", ", Arrays.stream(Measure.values()).map(Measure::name).toList()) + ")"));
        } else if (measure.comparesWithBaseline() && (previousVersion == null || previousVersion.isBlank())) {
            problems.add(new Problem(i, "measure", measure + " compares with the stable version, but the "
                    + "deployment has no previousVersion"));
        }
    }

    private static void provider(int i, Candidate c, List<Problem> problems, PrometheusQueries queries,
            String service) {
        String provider = c.provider() == null ? ScrapeProvider.NAME : c.provider();
        if (!PROVIDERS.contains(provider)) {
            problems.add(new Problem(i, "provider", "unknown provider " + provider + " (known: "
                    + String.join(", ", PROVIDERS.stream().sorted().toList()) + ")"));
        } else if (provider.equals(ScrapeProvider.NAME) && c.metric() != null
                && !ScrapeProvider.METRICS.contains(c.metric())) {
            problems.add(new Problem(i, "metric", "the scrape provider measures only "
                    + String.join(", ", ScrapeProvider.METRICS.stream().sorted().toList())
                    + "; push other metrics or query them with the prometheus provider"));
        } else if (provider.equals(PrometheusProvider.NAME)) {
            if (c.query() == null || c.query().isBlank()) {
                problems.add(new Problem(i, "query", "a prometheus check needs a PromQL query"));
            } else {
                String svc = service == null ? ANY_SERVICE : service;
                PrometheusQueries.Resolved resolved = queries.resolve(c.query(),
                        new WatchedDeployment("d", svc, "e", "v", "p", null));
                if (resolved.refused()) {
                    problems.add(new Problem(i, "query", resolved.refusal().replace(ANY_SERVICE, "{{service}}")));
                }
            }
        }
    }

    private static boolean positive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }
}
