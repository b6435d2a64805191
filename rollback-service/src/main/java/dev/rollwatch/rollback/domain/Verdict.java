package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of evaluating a breach.
 *
 * @param action         what to do
 * @param rule           the rule that fired (a stable slug, e.g. {@code p0-immediate}, {@code error-rate-sustained},
 *                       {@code rollback-hold})
 * @param reason         a sentence for people: the measurement, the threshold, why this action
 * @param breachEventIds for a ROLLBACK, the breaches that together triggered it (oldest first)
 * @param detectedAt     for a ROLLBACK, when the deciding breach was observed
 * @param severity       the decision's severity (the breach's, or the pack rule's override)
 * @param packRule       the pack entry that decided (null when none did: a finished deployment, a follow-up)
 * @param seedRule       the runbook rule that entry encodes
 * @param followUpAt     for an ALERT waiting on a "sustained" rule: when it rolls back if the episode is still open
 * @param decideBy       for CONDITIONAL: the deadline of the person's decision
 * @param deciders       for CONDITIONAL: who decides (a role)
 * @param defaultAction  for CONDITIONAL: ROLLBACK or HOLD at {@code decideBy}
 */
public record Verdict(DecisionAction action, String rule, String reason, List<String> breachEventIds,
        Instant detectedAt, Severity severity, String packRule, String seedRule, Instant followUpAt,
        Instant decideBy, String deciders, String defaultAction) {

    public Verdict {
        breachEventIds = breachEventIds == null ? List.of() : List.copyOf(breachEventIds);
    }

    public Verdict(DecisionAction action, String rule, String reason, List<String> breachEventIds,
            Instant detectedAt) {
        this(action, rule, reason, breachEventIds, detectedAt, null, null, null, null, null, null, null);
    }

    static Verdict of(DecisionAction action, String rule, String reason) {
        return new Verdict(action, rule, reason, List.of(), null);
    }

    /** This verdict attributed to a pack entry, with the decision's severity. */
    Verdict from(PolicyPack.Rule packRule, Severity sev) {
        return new Verdict(action, rule, reason, breachEventIds, detectedAt, sev,
                packRule == null ? null : packRule.id(), packRule == null ? null : packRule.seed(), followUpAt,
                decideBy, deciders, defaultAction);
    }
}
