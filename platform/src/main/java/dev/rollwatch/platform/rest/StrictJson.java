package dev.rollwatch.platform.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.DurationDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * Request bodies are strict JSON: a value of the wrong type is refused rather than converted — {@code "service": 5}
 * is not the service {@code "5"}, {@code "weight": "5"} is not 5, {@code "enabled": 1} is not true. Together with
 * {@code quarkus.jackson.fail-on-unknown-properties=true} a command means exactly what it says or gets a 400.
 * A key given twice ({@code {"service":"a","service":"b"}}) is refused, not resolved to the last one (a proxy or
 * another parser may have read the first). A number out of its field's range is refused: an integer beyond
 * {@code int}/{@code long} (Jackson's own check) and a decimal beyond {@code double} ({@code 1e400}, which Jackson
 * would silently read as infinity), and a duration or instant given as a number beyond {@code long} seconds or
 * beyond what {@code java.time} holds (Jackson would silently wrap {@code 1e30} seconds around to some duration, or
 * fail with an internal error). (Events have their own, tolerant codec: a newer producer may add fields.)
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Last, after Quarkus registers its modules (JavaTimeModule): the deserializers below then take precedence. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.registerModule(new SimpleModule("rollwatch-finite-numbers")
                .addDeserializer(Double.class, new FiniteDouble(Double.class, null))
                .addDeserializer(double.class, new FiniteDouble(double.class, 0.0))
                .addDeserializer(Float.class, new FiniteFloat(Float.class, null))
                .addDeserializer(float.class, new FiniteFloat(float.class, 0.0f))
                .addDeserializer(Duration.class, new InRange<>(Duration.class, DurationDeserializer.INSTANCE))
                .addDeserializer(Instant.class, new InRange<>(Instant.class, InstantDeserializer.INSTANT)));
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
            mapper.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        // 5.5 is not the weight 5.
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }

    /** A decimal that does not fit a double (1e400) is out of range, not infinity. */
    static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {
        FiniteDouble(Class<Double> type, Double empty) {
            super(type, empty);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Double value = super.deserialize(p, ctxt);
            if (value != null && !Double.isFinite(value)) {
                throw InvalidFormatException.from(p, "number out of range", p.getText(), Double.class);
            }
            return value;
        }
    }

    /** A decimal that does not fit a float is out of range, not infinity. */
    static final class FiniteFloat extends NumberDeserializers.FloatDeserializer {
        FiniteFloat(Class<Float> type, Float empty) {
            super(type, empty);
        }

        @Override
        public Float deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Float value = super.deserialize(p, ctxt);
            if (value != null && !Float.isFinite(value)) {
                throw InvalidFormatException.from(p, "number out of range", p.getText(), Float.class);
            }
            return value;
        }
    }

    /**
     * A {@code java.time} value read by Jackson's own deserializer, except that a number beyond {@code long} seconds
     * (which it would wrap around) or a value beyond what the type holds is out of range.
     */
    static final class InRange<T> extends JsonDeserializer<T> {
        private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
        private final Class<T> type;
        private final JsonDeserializer<T> delegate;

        InRange(Class<T> type, JsonDeserializer<T> delegate) {
            this.type = type;
            this.delegate = delegate;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != null && p.currentToken().isNumeric()
                    && p.getDecimalValue().abs().compareTo(LONG_MAX) > 0) {
                throw InvalidFormatException.from(p, "number out of range", p.getText(), type);
            }
            try {
                return delegate.deserialize(p, ctxt);
            } catch (DateTimeException | ArithmeticException e) {
                throw InvalidFormatException.from(p, "number out of range", p.getText(), type);
            }
        }
    }
}
