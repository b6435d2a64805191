package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.Unscoped;
import dev.rollwatch.rollback.domain.PolicyPack;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Map;

/** The policy packs, read-only: the rules every decision cites (pack, version, rule id, seed rule). */
@Path("/api/v1/policy-packs")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = ApiDocs.UNAUTHORIZED, content = @Content(mediaType = Problem.MEDIA_TYPE))
public class PolicyPackResource {

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Unscoped("a policy pack is part of the service's code, the same for every service")
    @Operation(summary = "A policy pack, as evaluated", description = "The ordered rules (first match wins) with the "
            + "runbook rule each encodes. Only `runbook` (version 1) exists. Roles deployer, operator (the packs are "
            + "the same for every service).")
    @APIResponse(responseCode = "200", description = "The pack as written (rules in order)")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS, content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "`not-found`: no pack of this name", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Map<String, Object> get(@Parameter(description = "The pack's name, e.g. `runbook`") @PathParam("name")
            String name) {
        if (!PolicyPack.runbook().name().equals(name)) {
            throw ProblemException.notFound("policy-pack", name);
        }
        return PolicyPack.runbookDocument();
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The policy packs (name@version)", description = "Roles deployer, operator: "
            + "`[\"runbook@1\"]`.")
    @APIResponse(responseCode = "200", description = "The packs")
    @APIResponse(responseCode = "403", description = ApiDocs.READERS, content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<String> list() {
        return List.of(PolicyPack.runbook().ref());
    }
}
