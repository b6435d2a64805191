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

    /**
     * How often open CONDITIONAL breach episodes (alerted, no newer episode of the check) are checked against the
     * policy's window; one that persisted past it rolls back at most this long after the window.
     */
    @WithDefault("5s")
    Duration persistenceCheckInterval();

    /** Most open episodes examined in one persistence check (oldest first). */
    @WithDefault("100")
    int persistenceBatch();

    /**
     * How often CONDITIONAL decisions are checked against their {@code decideBy}: one nobody resolved gets its
     * default action at most this long after its deadline.
     */
    @WithDefault("5s")
    Duration conditionalCheckInterval();

    /** Largest page the decision list returns. */
    @WithDefault("200")
    int maxPageSize();
}
