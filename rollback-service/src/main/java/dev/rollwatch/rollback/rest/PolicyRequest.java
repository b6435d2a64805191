package dev.rollwatch.rollback.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * A new policy version for a scope. Who makes the change is the token's subject, not a field of the body. Fields left out keep the value of the policy that applies to the scope now.
 *
 * @param actions          severity → ROLLBACK, CONDITIONAL, ALERT or NOTIFY
 * @param repeatCount      breaches of one check that make a CONDITIONAL severity roll back
 * @param repeatWindow     within this window, e.g. {@code 5m}
 * @param autoRollback     false turns every automatic rollback into an alert asking for approval
 * @param freeze           true holds every automatic rollback and pages instead
 * @param rollbackDeadline a requested rollback not completed within this is escalated, e.g. {@code 2m}
 * @param reason           why
 */
public record PolicyRequest(Map<String, String> actions, Integer repeatCount, String repeatWindow,
        Boolean autoRollback, Boolean freeze, String rollbackDeadline,
        @NotBlank @Size(max = 2000) String reason) {
}
