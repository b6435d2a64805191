package dev.rollwatch.deploy.service;

import dev.rollwatch.platform.outbox.OutboxRelay;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

/**
 * The largest event the outbox can hand to Kafka: the outbox producer's {@code max.request.size} (the channel's
 * setting, else the connector's, else {@code kafka.max.request.size}, else Kafka's default 1 MiB) less
 * {@link #HEADROOM} for the record's key, headers and batch framing. A deployment whose {@code DeploymentStarted}
 * would be larger is refused at the API (413) rather than stored: the broker would refuse the event for good, and the
 * deployment would run with no monitor watching it and no audit record of who started it (issue 17, 4).
 */
@ApplicationScoped
public class EventSizeLimit {

    /** Kafka's default {@code max.request.size}. */
    static final long KAFKA_DEFAULT = 1_048_576;
    /** Bytes kept for the record key, its headers and the batch framing around the value. */
    static final long HEADROOM = 8_192;

    private final long limit;

    public EventSizeLimit(Config config) {
        long max = config.getOptionalValue("mp.messaging.outgoing." + OutboxRelay.CHANNEL + ".max.request.size",
                        Long.class)
                .or(() -> config.getOptionalValue("mp.messaging.connector.smallrye-kafka.max.request.size",
                        Long.class))
                .or(() -> config.getOptionalValue("kafka.max.request.size", Long.class))
                .orElse(KAFKA_DEFAULT);
        this.limit = Math.max(1_024, max - HEADROOM);
    }

    /** The largest encoded event accepted, in bytes. */
    public long limit() {
        return limit;
    }

    /** Throws a 413 problem when an encoded event of {@code bytes} would be over the limit. */
    public void check(long bytes, String what) {
        if (bytes > limit) {
            throw new ProblemException(413, "event-too-large", "Payload Too Large", what + " would be " + bytes
                    + " bytes, over the " + limit + " bytes an event may have (the Kafka producer's max.request.size "
                    + "less " + HEADROOM + " bytes of headroom): shorten the strategy or its smoke checks")
                    .with("eventBytes", bytes).with("limitBytes", limit);
        }
    }
}
