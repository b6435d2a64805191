package dev.rollwatch.audit.messaging;

import dev.rollwatch.events.Topics;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * The one incoming channel the audit log reads, {@value #NAME}: a single Kafka consumer subscribed to every contract
 * topic ({@link Topics#ALL}, not the inputs {@link Topics#INPUTS}). Its subscription comes from the contract, not from
 * a list in application.properties that could drift: this configuration source answers
 * {@code mp.messaging.incoming.contract-events.topics} with {@code Topics.ALL}, comma-separated, so a topic added to
 * the contract is logged without a line of configuration. One consumer instead of one per topic: one poll thread,
 * one set of fetch buffers, one idle fetch at a time against the broker (docs/performance.md, target 1).
 *
 * <p>Its group is still the application name ({@code audit-service}), the group the 18 channels of one topic each
 * shared before: committed offsets are kept per group, topic and partition, so an upgraded installation resumes
 * every topic where it was.
 *
 * <p>A low ordinal ({@value #ORDINAL}, like platform's {@code ContractChannels}): application.properties (250),
 * platform's microprofile-config.properties (100) and the environment still win.
 */
public class IngestChannel implements ConfigSource {

    /** The channel's name, for {@code @Incoming} and its {@code mp.messaging.incoming.<name>.*} settings. */
    public static final String NAME = "contract-events";

    static final String TOPICS = "mp.messaging.incoming." + NAME + ".topics";
    static final int ORDINAL = 50;

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(TOPICS);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(TOPICS, topics());
    }

    @Override
    public String getValue(String name) {
        return TOPICS.equals(name) ? topics() : null;
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "rollwatch-audit-ingest-channel";
    }

    private static String topics() {
        return String.join(",", Topics.ALL);
    }
}
