package dev.rollwatch.rollback.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * An operator's rollback request; who asks is the token's subject, not a field of the body.
 *
 * @param toVersion optional: a version that once SUCCEEDED in the environment (default: the previous version)
 */
public record ManualRollbackRequest(@NotBlank @Size(max = 1500) String reason, @Size(max = 128) String toVersion) {

    public ManualRollbackRequest(String reason) {
        this(reason, null);
    }
}
