package dev.rollwatch.monitor.provider.scrape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A parser for the Prometheus text exposition format 0.0.4: samples with their labels; comments are skipped. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** One sample line: {@code name{label="value",...} value [timestamp]}. */
    public record Series(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.get(key);
        }
    }

    /** Every sample of a scrape, in order. A malformed line fails the whole scrape: half a scrape is no data. */
    public static List<Series> parse(String text) {
        return parse(text, s -> true);
    }

    /**
     * The samples of a scrape that {@code keep} accepts, in order. Every line is still read and checked (a malformed
     * line fails the whole scrape, kept or not); only the accepted ones are held, so a caller that keeps a scrape
     * holds what it reads, not the whole page.
     */
    public static List<Series> parse(String text, Predicate<Series> keep) {
        List<Series> series = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Series sample;
            try {
                sample = line(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (n + 1) + " is not a Prometheus sample: " + line, e);
            }
            if (keep.test(sample)) {
                series.add(sample);
            }
        }
        return series;
    }

    private static Series line(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        return new Series(name, Map.copyOf(labels), value(rest[0]));
    }

    /** Reads {@code key="value",...}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> labels) {
        while (true) {
            while (line.charAt(i) == ' ' || line.charAt(i) == ',') {
                i++;
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).strip();
            if (line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label " + key + " has no quoted value");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
    }

    static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
