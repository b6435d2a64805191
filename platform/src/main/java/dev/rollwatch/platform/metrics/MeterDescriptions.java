package dev.rollwatch.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Meter descriptions become the {@code # HELP} lines of /q/metrics. Micrometer's own binders describe
 * {@code system_cpu_usage} and {@code process_cpu_usage} as {@code The "recent cpu usage" …}; the Prometheus writer
 * escapes the quotes as {@code \"}, an escape the text format does not have in HELP lines (only {@code \\} and
 * {@code \n}), so Prometheus' parser — {@code promtool check metrics} — rejects the whole text. Every description is
 * therefore written with single quotes instead, whoever registers the meter.
 */
public class MeterDescriptions {

    @Produces
    @Singleton
    MeterFilter noDoubleQuotesInHelp() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = id.getDescription();
                if (description == null || description.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                        description.replace('"', '\''), id.getType());
            }
        };
    }
}
