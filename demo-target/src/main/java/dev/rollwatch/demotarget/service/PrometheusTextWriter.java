package dev.rollwatch.demotarget.service;

import dev.rollwatch.demotarget.domain.LatencyHistogram;
import dev.rollwatch.demotarget.domain.ServiceMetrics;
import dev.rollwatch.demotarget.domain.VersionMetrics;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Renders the simulated traffic in the Prometheus text exposition format, version 0.0.4: one block per metric family
 * ({@code # HELP}, {@code # TYPE}, then its samples), label values escaped, histogram buckets cumulative and closed by
 * {@code le="+Inf"}.
 */
public final class PrometheusTextWriter {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusTextWriter() {
    }

    public static String write(List<ServiceMetrics> services) {
        StringBuilder out = new StringBuilder();
        family(out, "http_requests_total", "counter",
                "Requests the simulated service answered, by version and status code.");
        for (ServiceMetrics service : services) {
            for (VersionMetrics version : service.versions()) {
                version.requestsByCode().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(e -> sample(out, "http_requests_total",
                                labels("service", service.service(), "version", version.version(),
                                        "code", Integer.toString(e.getKey())),
                                Long.toString(e.getValue())));
            }
        }
        family(out, "http_request_duration_seconds", "histogram",
                "Latency of the simulated service's requests, by version.");
        for (ServiceMetrics service : services) {
            for (VersionMetrics version : service.versions()) {
                histogram(out, service.service(), version.version(), version.latency());
            }
        }
        family(out, "queue_size", "gauge", "Requests in flight in the simulated service.");
        for (ServiceMetrics service : services) {
            sample(out, "queue_size", labels("service", service.service()), Long.toString(service.queueSize()));
        }
        family(out, "process_resident_memory_bytes", "gauge",
                "Resident memory of each deployed version of the simulated service.");
        for (ServiceMetrics service : services) {
            for (VersionMetrics version : service.versions()) {
                version.residentMemoryBytes().ifPresent(bytes -> sample(out, "process_resident_memory_bytes",
                        labels("service", service.service(), "version", version.version()), number(bytes)));
            }
        }
        return out.toString();
    }

    private static void histogram(StringBuilder out, String service, String version, LatencyHistogram histogram) {
        String name = "http_request_duration_seconds";
        for (int i = 0; i < histogram.upperBounds().size(); i++) {
            sample(out, name + "_bucket",
                    labels("service", service, "version", version, "le", number(histogram.upperBounds().get(i))),
                    Long.toString(histogram.cumulativeCounts().get(i)));
        }
        sample(out, name + "_bucket", labels("service", service, "version", version, "le", "+Inf"),
                Long.toString(histogram.count()));
        sample(out, name + "_sum", labels("service", service, "version", version), number(histogram.sum()));
        sample(out, name + "_count", labels("service", service, "version", version),
                Long.toString(histogram.count()));
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, String value) {
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    /** {@code {k1="v1",k2="v2"}} from alternating names and values. */
    private static String labels(String... namesAndValues) {
        StringBuilder labels = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                labels.append(',');
            }
            labels.append(namesAndValues[i]).append("=\"").append(escape(namesAndValues[i + 1])).append('"');
        }
        return labels.append('}').toString();
    }

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A plain decimal (no exponent), which every exposition parser accepts. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
