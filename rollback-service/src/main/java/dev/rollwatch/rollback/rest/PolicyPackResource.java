package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.rollback.domain.PolicyPack;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Map;

/** The policy packs, read-only: the rules every decision cites (pack, version, rule id, seed rule). */
@Path("/api/v1/policy-packs")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyPackResource {

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "A policy pack, as evaluated", description = "The ordered rules (first match wins) with the "
            + "runbook rule each encodes. Only `runbook` (version 1) exists.")
    public Map<String, Object> get(@PathParam("name") String name) {
        if (!PolicyPack.runbook().name().equals(name)) {
            throw ProblemException.notFound("policy-pack", name);
        }
        return PolicyPack.runbookDocument();
    }

    @GET
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @Operation(summary = "The policy packs (name@version)")
    public List<String> list() {
        return List.of(PolicyPack.runbook().ref());
    }
}
