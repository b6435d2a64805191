package dev.rollwatch.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "rollwatch.outbox")
public interface OutboxConfig {

    /** How often the sweep runs (read by the relay's {@code @Scheduled}; here so the property is a known one). */
    @WithDefault("2s")
    String sweepInterval();

    /** How long a row may stay unpublished before the sweep re-sends it (the post-commit hand-off normally wins). */
    @WithDefault("5s")
    Duration sweepGrace();

    /** Most rows one sweep re-sends. */
    @WithDefault("500")
    int sweepBatch();

    /** Most published ids marked in one transaction. */
    @WithDefault("500")
    int markBatch();

    /** How long published rows are kept before clean-up. */
    @WithDefault("P1D")
    Duration retention();
}
