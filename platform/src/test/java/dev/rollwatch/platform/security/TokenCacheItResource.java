package dev.rollwatch.platform.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** A deployer-only endpoint of platform's test application: who the bearer token says the caller is. */
@Path("/it/token-cache/whoami")
public class TokenCacheItResource {

    @GET
    @RolesAllowed("deployer")
    @Produces(MediaType.TEXT_PLAIN)
    public String whoami(@Context SecurityContext security) {
        return security.getUserPrincipal().getName();
    }
}
