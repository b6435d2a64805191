package dev.rollwatch.rollback.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A person's answer to a CONDITIONAL decision: roll back now, or hold (no rollback; keep watching). */
public record ResolveRequest(@NotBlank @Pattern(regexp = "(?i)ROLLBACK|HOLD",
        message = "must be ROLLBACK or HOLD") String action, @NotBlank @Size(max = 1500) String reason) {
}
