package dev.rollwatch.rollback.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** An operator's rollback request. */
public record ManualRollbackRequest(@NotBlank @Size(max = 1500) String reason,
        @NotBlank @Size(max = 200) String requestedBy) {
}
