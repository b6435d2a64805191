package dev.rollwatch.platform.it;

import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the Caller bean tells the code behind an endpoint, as JSON, for CallerIT. Needs the deployer role. */
@Path("/it/caller")
@RolesAllowed(Roles.DEPLOYER)
public class CallerItResource {

    @Inject
    Caller caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> whoAmI() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subject", caller.subject());
        out.put("roles", List.of(Roles.DEPLOYER, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN, Roles.AGENT).stream()
                .filter(caller::hasRole).toList());
        Set<String> scope = caller.serviceScope();
        out.put("services", scope == null ? List.of("*") : List.copyOf(new TreeSet<>(scope)));
        return out;
    }

    /** Acts on an object of {@code service}: 403 forbidden-service unless the token's scope allows it. */
    @POST
    @Path("/services/{service}")
    public String act(@PathParam("service") String service) {
        caller.requireService(service);
        return "acted on " + service + " as " + caller.subject();
    }
}
