package dev.rollwatch.monitor.provider.prometheus;

import dev.rollwatch.monitor.provider.WatchedDeployment;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What PromQL a deployment's {@code prometheus} check may run (issue 17, 5; review M7): a deployer chooses, an
 * administrator decides what can be read.
 * <ul>
 * <li>{@code template:<name>} — the administrator's query template {@code rollwatch.monitor.prometheus.templates."<name>"},
 * with {@code {{service}}}, {@code {{version}}}, {@code {{environment}}} and {@code {{previousVersion}}} filled from the
 * deployment (escaped for a PromQL string literal). The template is trusted as written: it is configuration.</li>
 * <li>any other query — the deployer's own PromQL, run only when raw queries are allowed
 * ({@code rollwatch.monitor.prometheus.raw-queries}) and, after its placeholders are filled, <em>every</em> vector
 * selector in it carries {@code service="<the deployment's service>"} ({@link PromqlSelectors#outsideService}).</li>
 * </ul>
 * A query that may not run is refused before anything is sent, with a reason in fixed words (it names the template or
 * the service, never quotes the query); the check is then ERROR, never FAILED.
 */
public final class PrometheusQueries {

    /** The prefix of a check's {@code query} that names a template. */
    public static final String TEMPLATE_PREFIX = "template:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, String> templates;
    private final boolean rawAllowed;

    public PrometheusQueries(Map<String, String> templates, boolean rawAllowed) {
        this.templates = Map.copyOf(templates);
        this.rawAllowed = rawAllowed;
    }

    /** The templates' names, sorted. */
    public Iterable<String> templateNames() {
        return new TreeMap<>(templates).keySet();
    }

    /** A query to run, or why not ({@code promql} null, {@code refusal} set). */
    public record Resolved(String promql, String refusal) {

        static Resolved run(String promql) {
            return new Resolved(promql, null);
        }

        static Resolved refused(String why) {
            return new Resolved(null, why);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    /** The PromQL that {@code query} (a check's {@code query} field) runs for {@code watch}, or why it may not. */
    public Resolved resolve(String query, WatchedDeployment watch) {
        if (query == null || query.isBlank()) {
            return Resolved.refused("a prometheus check needs a query (PromQL or template:<name>)");
        }
        String trimmed = query.strip();
        if (trimmed.startsWith(TEMPLATE_PREFIX)) {
            String name = trimmed.substring(TEMPLATE_PREFIX.length()).strip();
            String template = templates.get(name);
            if (template == null) {
                return Resolved.refused(NAME.matcher(name).matches()
                        ? "unknown query template " + name + " (rollwatch.monitor.prometheus.templates)"
                        : "unknown query template (rollwatch.monitor.prometheus.templates)");
            }
            try {
                return Resolved.run(QueryTemplate.expand(template, watch));
            } catch (IllegalArgumentException e) {
                return Resolved.refused("query template " + name + ": " + e.getMessage());
            }
        }
        if (!rawAllowed) {
            return Resolved.refused("query refused: this monitor runs only the administrator's query templates "
                    + "(template:<name>)");
        }
        String promql;
        try {
            promql = QueryTemplate.expand(query, watch);
        } catch (IllegalArgumentException e) {
            return Resolved.refused(e.getMessage());
        }
        Optional<String> outside = PromqlSelectors.outsideService(promql, watch.service());
        return outside.map(Resolved::refused).orElseGet(() -> Resolved.run(promql));
    }
}
