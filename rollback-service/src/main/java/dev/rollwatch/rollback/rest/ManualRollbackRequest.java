package dev.rollwatch.rollback.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** An operator's rollback request; who asks is the token's subject, not a field of the body. */
public record ManualRollbackRequest(@NotBlank @Size(max = 1500) String reason) {
}
