package dev.rollwatch.monitor.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.monitor.domain.Measurement;
import dev.rollwatch.monitor.domain.Measures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The JSON columns of the monitor's tables, written with the event mapper so values look as on the wire. */
public final class Json {

    private static final TypeReference<List<Double>> DOUBLES = new TypeReference<>() { };
    private static final TypeReference<List<Measurement>> MEASUREMENTS = new TypeReference<>() { };
    private static final TypeReference<List<Measures.Point>> POINTS = new TypeReference<>() { };

    private Json() {
    }

    public static String write(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Double> doubles(String json) {
        return read(json, DOUBLES);
    }

    public static List<Measurement> measurements(String json) {
        return read(json, MEASUREMENTS);
    }

    public static List<Measures.Point> points(String json) {
        return read(json, POINTS);
    }

    /**
     * A JSON array of objects, its last {@code keep} elements after {@code element} is appended to it, as JSON text:
     * the {@code recent} ring of a check's row, rewritten with every measurement. The stored elements are kept as the
     * text they were written as (the array is only tokenized to find where each one starts and ends), and only the
     * new one is serialized: reading the ring into objects and writing it back (20 measurements, each with an
     * {@code Instant} parsed and formatted) was about a fifth of the samples on the request threads in a profile of
     * the monitor benchmark (issue 16, target 4).
     */
    public static String appendBounded(String array, Object element, int keep) {
        if (keep < 1) {
            return "[]";
        }
        List<int[]> spans = new ArrayList<>();
        try (JsonParser p = EventCodec.mapper().getFactory().createParser(array)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("unreadable stored JSON: not an array");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new IllegalStateException("unreadable stored JSON: the array does not end");
                }
                if (t != JsonToken.START_OBJECT) {
                    // A scalar's end is not known until it is read: the ring holds objects only.
                    throw new IllegalStateException("unreadable stored JSON: an element is not an object");
                }
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                spans.add(new int[] {start, (int) p.currentLocation().getCharOffset()});
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable stored JSON", e);
        }
        String added = write(element);
        StringBuilder out = new StringBuilder(array.length() + added.length() + 2).append('[');
        for (int[] span : spans.subList(Math.max(0, spans.size() - (keep - 1)), spans.size())) {
            out.append(array, span[0], span[1]).append(',');
        }
        return out.append(added).append(']').toString();
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored JSON", e);
        }
    }
}
