package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.Topics;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The settings of an incoming channel named like a contract topic ({@link Topics#ALL}, {@link Topics#INPUTS}),
 * derived from the name: {@code mp.messaging.incoming.<topic>.topic=<topic>} and
 * {@code mp.messaging.incoming.<topic>.dead-letter-queue.topic=<topic>.dlq} ({@link Topics#dlq}), so a consumer
 * needs no configuration lines. A configuration source of a low ordinal ({@value #ORDINAL}): a service's
 * application.properties, platform's microprofile-config.properties and the environment still win. It answers for
 * those names without listing them, so it creates no channel: only a channel some {@code @Incoming} method consumes
 * asks. A channel named otherwise (a topic list, another topic) is configured explicitly.
 */
public class ContractChannels implements ConfigSource {

    static final int ORDINAL = 50;
    private static final String PREFIX = "mp.messaging.incoming.";
    private static final String TOPIC = ".topic";
    private static final String DLQ = ".dead-letter-queue.topic";
    private static final Set<String> CHANNELS = Stream.concat(Topics.ALL.stream(), Topics.INPUTS.stream())
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public String getValue(String name) {
        if (name == null || !name.startsWith(PREFIX)) {
            return null;
        }
        if (name.endsWith(DLQ)) {
            String channel = name.substring(PREFIX.length(), name.length() - DLQ.length());
            return CHANNELS.contains(channel) ? Topics.dlq(channel) : null;
        }
        if (name.endsWith(TOPIC)) {
            String channel = name.substring(PREFIX.length(), name.length() - TOPIC.length());
            return CHANNELS.contains(channel) ? channel : null;
        }
        return null;
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "rollwatch-contract-channels";
    }
}
