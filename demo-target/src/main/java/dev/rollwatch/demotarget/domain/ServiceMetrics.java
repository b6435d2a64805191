package dev.rollwatch.demotarget.domain;

import java.util.List;
import java.util.Optional;

/**
 * The simulated traffic of one service, per version.
 *
 * @param queueSize requests in flight at the last tick (arrival rate times mean latency)
 */
public record ServiceMetrics(String service, long queueSize, List<VersionMetrics> versions) {

    public ServiceMetrics {
        versions = List.copyOf(versions);
    }

    public Optional<VersionMetrics> version(String version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }
}
