package dev.rollwatch.platform.it;

import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import dev.rollwatch.platform.security.ServiceOwners;
import dev.rollwatch.platform.security.ServiceScoped;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Endpoints on "things" owned by services, scoped by {@code @ServiceScoped}, for ServiceScopeIT. A thing id is
 * {@code t-<n>}; anything else does not parse (400 here), an unknown {@code t-<n>} is 404. {@link #INVOKED} records
 * each call that reached a method body.
 */
@Path("/it/things")
@Produces(MediaType.TEXT_PLAIN)
public class ServiceScopeItResource {

    static final Map<String, String> OWNERS = Map.of("t-1", "checkout", "t-2", "billing");
    static final List<String> INVOKED = new CopyOnWriteArrayList<>();

    /** A change's body: {@code reason} required. */
    public record Change(@NotBlank String reason) {
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = "thing", param = "id")
    public String get(@PathParam("id") String id) {
        INVOKED.add("get " + id);
        return "thing " + known(id) + " of " + OWNERS.get(id);
    }

    @POST
    @Path("/{id}/change")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @ServiceScoped(kind = "thing", param = "id")
    public String change(@PathParam("id") String id, @NotNull @Valid Change change) {
        INVOKED.add("change " + id);
        return "changed " + known(id) + ": " + change.reason();
    }

    @GET
    @Path("/of/{service}")
    @RolesAllowed({Roles.DEPLOYER, Roles.OPERATOR})
    @ServiceScoped(kind = ServiceScoped.SERVICE, param = "service")
    public String ofService(@PathParam("service") String service) {
        INVOKED.add("of " + service);
        return "things of " + service;
    }

    private static String known(String id) {
        if (!id.startsWith("t-")) {
            throw ProblemException.badRequest("invalid-id", "a thing id is t-<n>");
        }
        if (!OWNERS.containsKey(id)) {
            throw ProblemException.notFound("thing", id);
        }
        return id;
    }

    /** The owners of the things, as a service's ServiceOwners bean answers. */
    @ApplicationScoped
    public static class ThingOwners implements ServiceOwners {

        @Override
        public Optional<String> serviceOf(String kind, String id) {
            return switch (kind) {
                case "thing" -> Optional.ofNullable(OWNERS.get(id));
                case ServiceScoped.SERVICE -> Optional.of(id);
                default -> throw new IllegalArgumentException("no objects of kind " + kind);
            };
        }
    }
}
