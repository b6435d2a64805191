package dev.rollwatch.deploy.admission;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The body of {@code PUT /api/v1/deployment-policies/{service}/{environment}}: the full new policy and why. */
public record PolicyRequest(
        @Size(max = 20) List<PolicyDocument.@NotNull @Valid Requirement> requires,
        @Size(max = 50) List<PolicyDocument.@NotNull @Valid Window> windows,
        @Size(max = 200) List<PolicyDocument.@NotNull @Valid Freeze> freezes,
        @NotBlank @Size(max = 2000) String reason) {

    public PolicyDocument document() {
        return new PolicyDocument(requires, windows, freezes);
    }
}
