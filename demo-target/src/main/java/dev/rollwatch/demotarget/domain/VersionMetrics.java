package dev.rollwatch.demotarget.domain;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * The simulated traffic one version of a service has served so far.
 *
 * @param requestsByCode      requests per HTTP status code, since the version was first deployed here
 * @param residentMemoryBytes present while the version is deployed (stable or canary)
 */
public record VersionMetrics(String version, Map<Integer, Long> requestsByCode, LatencyHistogram latency,
        OptionalDouble residentMemoryBytes) {

    public VersionMetrics {
        requestsByCode = Map.copyOf(requestsByCode);
    }

    public long requests() {
        return requestsByCode.values().stream().mapToLong(Long::longValue).sum();
    }

    public long serverErrors() {
        return requestsByCode.entrySet().stream()
                .filter(e -> e.getKey() >= 500)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
