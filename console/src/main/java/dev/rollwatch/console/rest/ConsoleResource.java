package dev.rollwatch.console.rest;

import dev.rollwatch.console.security.CallerResolver;
import dev.rollwatch.console.security.ConsoleUser;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;

/** What the page asks the console itself: how to sign in, who the caller is, and the OIDC sign-in and
 * sign-out entry points. */
@Path("/console")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {

    /** {@code GET /console/config}: {@code oidc} true = show "Sign in" (to /console/login), false = paste a token. */
    public record ConsoleSettings(boolean oidc, String version) {
    }

    @Inject
    CallerResolver callers;

    @Inject
    SecurityIdentity identity;

    @Inject
    jakarta.enterprise.inject.Instance<io.quarkus.oidc.OidcSession> oidcSession;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @GET
    @Path("config")
    public ConsoleSettings config() {
        return new ConsoleSettings(callers.oidcEnabled(), version);
    }

    @GET
    @Path("me")
    public Response me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return callers.resolve(authorization, callers.oidcEnabled() ? identity : null)
                .map(user -> Response.ok(user).build())
                .orElseGet(ConsoleResource::unauthorized);
    }

    /**
     * {@code GET /console/login}: with OIDC on, an anonymous caller is sent through the authorization code flow
     * (the OIDC mechanism's challenge, a redirect to the provider) and comes back here signed in; a signed-in
     * caller goes to the page. With OIDC off there is nothing to sign in to: 404.
     */
    @GET
    @Path("login")
    public Response login() {
        if (!callers.oidcEnabled()) {
            return Problem.of(404, "oidc-not-configured", "Not Found",
                    "sign-in by OIDC is not configured here: paste a token into the console instead").toResponse();
        }
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        return Response.seeOther(URI.create("/")).build();
    }

    /**
     * {@code GET /console/logout}: with OIDC on, ends the console's session (its session cookie is cleared) and goes
     * back to the page, which then offers "Sign in" again; the provider's own session is left alone (a provider
     * sign-out is the provider's page). With OIDC off the page forgets its pasted token itself: 404.
     */
    @GET
    @Path("logout")
    public Response logout() {
        if (!callers.oidcEnabled()) {
            return Problem.of(404, "oidc-not-configured", "Not Found",
                    "sign-out by OIDC is not configured here: the page forgets a pasted token itself").toResponse();
        }
        if (!identity.isAnonymous()) {
            oidcSession.get().logout().await().atMost(java.time.Duration.ofSeconds(10));
        }
        return Response.seeOther(URI.create("/")).build();
    }

    static Response unauthorized() {
        return Response.fromResponse(Problem.of(401, "unauthorized", "Unauthorized",
                "a valid bearer token is required (Authorization: Bearer <JWT>)").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
