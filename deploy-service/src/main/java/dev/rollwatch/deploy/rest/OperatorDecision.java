package dev.rollwatch.deploy.rest;

import jakarta.validation.constraints.Size;

/**
 * Why: the optional body of approve, abort and promote. Who is not in the body: it is the token's subject
 * ({@link dev.rollwatch.platform.security.Caller#subject()}), so nobody can act in someone else's name.
 */
public record OperatorDecision(@Size(max = 2000) String reason) {

    static String reasonOf(OperatorDecision decision) {
        return decision == null ? null : decision.reason();
    }
}
