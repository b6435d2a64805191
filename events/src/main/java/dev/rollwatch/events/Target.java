package dev.rollwatch.events;

/**
 * Where a deployment happens.
 *
 * @param type       driver name ({@code http}; {@code kubernetes} later)
 * @param url        the deployer endpoint the driver talks to
 * @param metricsUrl the Prometheus text endpoint the monitor scrapes
 */
public record Target(String type, String url, String metricsUrl) {
    public Target {
        Require.text(type, "target.type");
        Require.text(url, "target.url");
    }
}
