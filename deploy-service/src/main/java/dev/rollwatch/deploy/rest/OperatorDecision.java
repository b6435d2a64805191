package dev.rollwatch.deploy.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Who decides and why: the body of approve, abort and promote. */
public record OperatorDecision(@NotBlank @Size(max = 200) String by, @Size(max = 2000) String reason) {
}
