package dev.rollwatch.monitor.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.monitor.domain.Measurement;
import dev.rollwatch.monitor.domain.Measures;

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

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored JSON", e);
        }
    }
}
