package dev.rollwatch.rollback.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * A new policy version for a scope. Who makes the change is the token's subject, not a field of the body. Fields left
 * out keep the value of the policy that applies to the scope now.
 *
 * @param actions            severity (P0..P3) → ROLLBACK, CONDITIONAL, MONITOR, ALERT or NOTIFY: the matrix rows the
 *                           pack's severity rules apply
 * @param repeatCount        breaches of one check that make a MONITOR severity roll back
 * @param repeatWindow       within this window (and the time a MONITOR episode must persist), e.g. {@code 5m}
 * @param autoRollback       false turns every automatic rollback into an alert asking for approval
 * @param rollbackHold       true holds every automatic rollback and pages instead (was {@code freeze})
 * @param rollbackDeadline   a requested rollback not completed within this is escalated, e.g. {@code 2m}
 * @param pack               the policy pack in force ({@code runbook@1})
 * @param overrides          per pack rule id, durations replacing the pack's: {@code sustainedFor}, {@code decideWithin},
 *                           {@code within}; replaces the whole map when given ({@code {}} clears it)
 * @param conditionalDefault ROLLBACK or HOLD: what a CONDITIONAL decision does when nobody decided in time
 * @param deciders           who decides CONDITIONAL decisions (a role, default {@code operator})
 * @param reason             why
 */
public record PolicyRequest(Map<String, String> actions, Integer repeatCount, String repeatWindow,
        Boolean autoRollback, Boolean rollbackHold, String rollbackDeadline, String pack,
        Map<String, Map<String, String>> overrides, String conditionalDefault, String deciders,
        @NotBlank @Size(max = 2000) String reason) {

    /** A request without the issue-15 fields (pack, overrides, CONDITIONAL terms). */
    public PolicyRequest(Map<String, String> actions, Integer repeatCount, String repeatWindow, Boolean autoRollback,
            Boolean rollbackHold, String rollbackDeadline, String reason) {
        this(actions, repeatCount, repeatWindow, autoRollback, rollbackHold, rollbackDeadline, null, null, null, null,
                reason);
    }
}
