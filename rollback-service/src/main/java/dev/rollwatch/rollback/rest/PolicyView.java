package dev.rollwatch.rollback.rest;

import dev.rollwatch.events.Durations;
import dev.rollwatch.rollback.domain.Policy;
import dev.rollwatch.rollback.domain.RuleOverrides;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A policy version as the API shows it; {@code service}/{@code environment} {@code *} means any. */
public record PolicyView(long id, String service, String environment, int version, Map<String, String> actions,
        int repeatCount, String repeatWindow, boolean autoRollback, boolean rollbackHold, String rollbackDeadline,
        String pack, Map<String, Map<String, String>> overrides, String conditionalDefault, String deciders,
        Instant createdAt, String createdBy, String reason) {

    static PolicyView of(Policy p) {
        Map<String, String> actions = new LinkedHashMap<>();
        actions.put("P0", p.p0Action.name());
        actions.put("P1", p.p1Action.name());
        actions.put("P2", p.p2Action.name());
        actions.put("P3", p.p3Action.name());
        return new PolicyView(p.id, p.service, p.environment, p.version, actions, p.repeatCount,
                Durations.format(Duration.ofMillis(p.repeatWindowMs)), p.autoRollback, p.rollbackHold,
                Durations.format(Duration.ofMillis(p.rollbackDeadlineMs)), p.pack,
                RuleOverrides.written(RuleOverrides.fromJson(p.overrides)), p.conditionalDefault, p.deciders,
                p.createdAt, p.createdBy, p.changeReason);
    }
}
