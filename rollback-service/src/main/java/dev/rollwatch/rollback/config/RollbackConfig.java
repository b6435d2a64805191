package dev.rollwatch.rollback.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the rollback service (the decision rules themselves are data: see the policy API). */
@ConfigMapping(prefix = "rollwatch.rollback")
public interface RollbackConfig {

    /**
     * How often requested rollbacks are checked against their deadline. An overdue rollback is escalated at most
     * this long after its deadline.
     */
    @WithDefault("5s")
    Duration escalationCheckInterval();

    /** Most overdue rollbacks escalated in one check. */
    @WithDefault("100")
    int escalationBatch();

    /** Largest page the decision list returns. */
    @WithDefault("200")
    int maxPageSize();
}
