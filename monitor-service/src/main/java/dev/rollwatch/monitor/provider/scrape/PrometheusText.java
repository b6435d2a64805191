package dev.rollwatch.monitor.provider.scrape;

import java.util.ArrayList;
import java.util.HashMap;
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
     * holds what it reads, not the whole page. Read in place, line by line (no split, no regular expression); each
     * metric name, label name and label value that repeats on the page is held once, as one string, by every sample
     * that has it: a page of 200 services repeats the same few hundred strings thousands of times.
     */
    public static List<Series> parse(String text, Predicate<Series> keep) {
        List<Series> series = new ArrayList<>();
        Map<String, String> strings = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        int n = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            n++;
            int from = start;
            int to = end;
            start = end + 1;
            while (from < to && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
                to--;
            }
            if (from == to || text.charAt(from) == '#') {
                continue;
            }
            Series sample;
            try {
                sample = line(text, from, to, strings, labels);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + n + " is not a Prometheus sample: "
                        + text.substring(from, to), e);
            }
            if (keep.test(sample)) {
                series.add(sample);
            }
        }
        return series;
    }

    /** The sample of {@code text[from, to)}, a line without its surrounding whitespace. */
    private static Series line(String text, int from, int to, Map<String, String> strings,
            Map<String, String> labels) {
        int i = from;
        while (i < to && text.charAt(i) != '{' && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == from) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = once(strings, text.substring(from, i));
        labels.clear();
        if (i < to && text.charAt(i) == '{') {
            i = labels(text, i + 1, to, labels, strings);
        }
        while (i < to && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        int value = i;
        while (i < to && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return new Series(name, Map.copyOf(labels), value(text.substring(value, i)));
    }

    /** Reads {@code key="value",...}} from {@code i}, within the line; returns the index after the closing brace. */
    private static int labels(String text, int i, int to, Map<String, String> labels, Map<String, String> strings) {
        while (true) {
            while (at(text, i, to) == ' ' || at(text, i, to) == ',') {
                i++;
            }
            if (at(text, i, to) == '}') {
                return i + 1;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0 || eq >= to) {
                throw new IllegalArgumentException("a label without a value");
            }
            String key = once(strings, text.substring(i, eq).strip());
            if (at(text, eq + 1, to) != '"') {
                throw new IllegalArgumentException("label " + key + " has no quoted value");
            }
            StringBuilder escaped = null;
            int run = eq + 2;
            int j = run;
            for (char c = at(text, j, to); c != '"'; c = at(text, ++j, to)) {
                if (c == '\\') {
                    if (escaped == null) {
                        escaped = new StringBuilder();
                    }
                    char next = at(text, ++j, to);
                    escaped.append(text, run, j - 1).append(next == 'n' ? '\n' : next);
                    run = j + 1;
                }
            }
            String value = escaped == null ? text.substring(run, j) : escaped.append(text, run, j).toString();
            labels.put(key, once(strings, value));
            i = j + 1;
        }
    }

    /** The character at {@code i}, which must be within the line (a label is never continued on the next one). */
    private static char at(String text, int i, int to) {
        if (i >= to) {
            throw new IllegalArgumentException("the line ends inside its labels");
        }
        return text.charAt(i);
    }

    /** The page's one copy of {@code s}. */
    private static String once(Map<String, String> strings, String s) {
        String first = strings.putIfAbsent(s, s);
        return first == null ? s : first;
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
