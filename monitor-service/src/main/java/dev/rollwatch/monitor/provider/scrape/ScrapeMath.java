package dev.rollwatch.monitor.provider.scrape;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Rates and quantiles of one version between two scrapes, as pure functions: what PromQL's {@code increase} and
 * {@code histogram_quantile} compute, without a Prometheus server. A result of {@code null} means no data (no
 * request reached that version between the scrapes): the check records ERROR, never a pass.
 */
public final class ScrapeMath {

    public static final String REQUESTS = "http_requests_total";
    public static final String DURATION_BUCKET = "http_request_duration_seconds_bucket";

    private ScrapeMath() {
    }

    /** How many requests reached the version between the scrapes (the increase of its request counters). */
    public static double requests(List<PrometheusText.Series> before, List<PrometheusText.Series> after,
            String service, String version) {
        return increase(before, after, s -> REQUESTS.equals(s.name()) && service.equals(s.label("service"))
                && version.equals(s.label("version")));
    }

    /** Share of the version's requests between the scrapes answered with a 5xx code. */
    public static Double errorRate(List<PrometheusText.Series> before, List<PrometheusText.Series> after,
            String service, String version) {
        Predicate<PrometheusText.Series> ofVersion = s -> REQUESTS.equals(s.name())
                && service.equals(s.label("service")) && version.equals(s.label("version"));
        double all = increase(before, after, ofVersion);
        if (all <= 0) {
            return null;
        }
        double errors = increase(before, after, ofVersion.and(s -> s.label("code") != null
                && s.label("code").startsWith("5")));
        return errors / all;
    }

    /** 1 − error rate; no data stays no data. */
    public static Double successRate(List<PrometheusText.Series> before, List<PrometheusText.Series> after,
            String service, String version) {
        Double errorRate = errorRate(before, after, service, version);
        return errorRate == null ? null : 1 - errorRate;
    }

    /**
     * The {@code q}-quantile of the version's request durations between the scrapes, from the increase of each
     * cumulative bucket, interpolated linearly inside the bucket as {@code histogram_quantile} does.
     */
    public static Double quantile(double q, List<PrometheusText.Series> before, List<PrometheusText.Series> after,
            String service, String version) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (PrometheusText.Series s : after) {
            if (DURATION_BUCKET.equals(s.name()) && service.equals(s.label("service"))
                    && version.equals(s.label("version")) && s.label("le") != null) {
                double le = PrometheusText.value(s.label("le"));
                buckets.merge(le, increase(before, s), Double::sum);
            }
        }
        if (buckets.isEmpty() || !buckets.lastKey().isInfinite()) {
            return null;
        }
        double total = buckets.lastEntry().getValue();
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) {
                    // Above the highest finite bucket: Prometheus answers that bucket's bound.
                    return lowerBound;
                }
                double inBucket = b.getValue() - lowerCount;
                return inBucket <= 0 ? b.getKey()
                        : lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = b.getKey();
            lowerCount = b.getValue();
        }
        return null;
    }

    /**
     * A gauge of the version in one scrape (e.g. {@code queue_size}, {@code process_resident_memory_bytes}): the sum
     * of the service's series of that name labelled with the version (several instances add up). A gauge the
     * target exposes per service only (no {@code version} label on any of the service's series, as demo-target's
     * {@code queue_size}) is read as the service's, the same for every version. Null: no such series (no data).
     */
    public static Double gauge(List<PrometheusText.Series> scrape, String name, String service, String version) {
        List<PrometheusText.Series> ofService = scrape.stream()
                .filter(s -> name.equals(s.name()) && service.equals(s.label("service"))).toList();
        boolean perVersion = ofService.stream().anyMatch(s -> s.label("version") != null);
        List<PrometheusText.Series> chosen = perVersion
                ? ofService.stream().filter(s -> version.equals(s.label("version"))).toList() : ofService;
        if (chosen.isEmpty()) {
            return null;
        }
        return chosen.stream().mapToDouble(PrometheusText.Series::value).sum();
    }

    private static double increase(List<PrometheusText.Series> before, List<PrometheusText.Series> after,
            Predicate<PrometheusText.Series> which) {
        return after.stream().filter(which).mapToDouble(s -> increase(before, s)).sum();
    }

    /** A counter's increase; a counter that went back was reset (the process restarted) and counts from zero. */
    private static double increase(List<PrometheusText.Series> before, PrometheusText.Series now) {
        double previous = before.stream().filter(b -> b.name().equals(now.name()) && b.labels().equals(now.labels()))
                .mapToDouble(PrometheusText.Series::value).findFirst().orElse(0);
        return now.value() >= previous ? now.value() - previous : now.value();
    }
}
