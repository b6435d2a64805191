package dev.rollwatch.demotarget.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks text the way a Prometheus scraper reads it (exposition format 0.0.4): every sample belongs to a family
 * declared once by {@code # TYPE} before its samples, families are contiguous, values are numbers, and each histogram
 * has ascending {@code le} buckets with non-decreasing counts ending in {@code +Inf} equal to {@code _count}.
 */
final class ExpositionChecker {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private ExpositionChecker() {
    }

    /** Parses and checks {@code text}; returns its samples. */
    static List<Sample> check(String text) {
        assertThat(text).endsWith("\n");
        Map<String, String> types = new HashMap<>();
        Set<String> closedFamilies = new HashSet<>();
        String currentFamily = null;
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertThat(parts).as(line).hasSize(4);
                assertThat(types).as("family declared once: " + line).doesNotContainKey(parts[2]);
                assertThat(parts[3]).isIn("counter", "gauge", "histogram", "summary", "untyped");
                types.put(parts[2], parts[3]);
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                currentFamily = parts[2];
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                fail("not a sample line: '%s'", line);
            }
            String family = familyOf(m.group(1), types);
            assertThat(types).as("TYPE declared before " + line).containsKey(family);
            assertThat(family).as("families are contiguous: " + line).isEqualTo(currentFamily);
            assertThat(closedFamilies).doesNotContain(family);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, parseValue(m.group(3))));
        }
        types.forEach((family, type) -> {
            if (type.equals("histogram")) {
                checkHistogram(family, samples);
            }
        });
        return samples;
    }

    private static void checkHistogram(String family, List<Sample> samples) {
        Map<Map<String, String>, List<Sample>> bucketsBySeries = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new HashMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(family + "_bucket")) {
                Map<String, String> series = new TreeMap<>(sample.labels());
                assertThat(series.remove("le")).as("bucket has le").isNotNull();
                bucketsBySeries.computeIfAbsent(series, k -> new ArrayList<>()).add(sample);
            } else if (sample.name().equals(family + "_count")) {
                counts.put(new TreeMap<>(sample.labels()), sample.value());
            }
        }
        assertThat(bucketsBySeries.keySet()).isEqualTo(counts.keySet());
        bucketsBySeries.forEach((series, buckets) -> {
            double previousLe = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample bucket : buckets) {
                double le = parseValue(bucket.labels().get("le"));
                assertThat(le).as("le ascending in " + series).isGreaterThan(previousLe);
                assertThat(bucket.value()).as("cumulative in " + series).isGreaterThanOrEqualTo(previousCount);
                previousLe = le;
                previousCount = bucket.value();
            }
            assertThat(previousLe).as("last bucket of " + series).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(previousCount).as("+Inf bucket equals _count for " + series).isEqualTo(counts.get(series));
        });
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if ("histogram".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }
}
