package dev.rollwatch.monitor.provider.prometheus;

import dev.rollwatch.monitor.provider.WatchedDeployment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A check's query with {@code {{service}}}, {@code {{version}}}, {@code {{environment}}} and
 * {@code {{previousVersion}}} filled in for one deployment. Values are escaped for a PromQL string literal, so a
 * label value cannot change the query's shape; an unknown placeholder is refused rather than sent as is.
 */
public final class QueryTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private QueryTemplate() {
    }

    /** The query for {@code watch}; throws {@link IllegalArgumentException} naming an unknown placeholder. */
    public static String expand(String query, WatchedDeployment watch) {
        Matcher m = PLACEHOLDER.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "service" -> watch.service();
                case "version" -> watch.version();
                case "environment" -> watch.environment();
                case "previousVersion" -> watch.previousVersion() == null ? "" : watch.previousVersion();
                default -> throw new IllegalArgumentException("unknown placeholder {{" + m.group(1)
                        + "}} (known: service, version, environment, previousVersion)");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(escape(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Escapes a value for use inside a double-quoted PromQL string. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
