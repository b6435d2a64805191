package dev.rollwatch.deploy.admission;

import java.time.Instant;
import java.util.List;

/**
 * The deployment policy in force for a service and environment. {@code scope} is where it comes from (the most
 * specific scope that has one); {@code version} 0 with no author is the built-in default: nothing required, always
 * open. {@code nextOpening} is when a deployment may start next (now while open).
 */
public record PolicyView(String service, String environment, Scope scope, int version,
        List<PolicyDocument.Requirement> requires, List<PolicyDocument.Window> windows,
        List<PolicyDocument.Freeze> freezes, String changedBy, Instant changedAt, String reason, boolean open,
        Instant nextOpening) {

    public record Scope(String service, String environment) {
    }
}
