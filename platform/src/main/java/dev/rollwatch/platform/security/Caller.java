package dev.rollwatch.platform.security;

import dev.rollwatch.platform.rest.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who is calling, for the code behind an endpoint: the token's subject (recorded as {@code requestedBy}, the
 * approver, the author of a policy change…) and the services it may act on — the object-level check the role
 * annotations cannot make.
 *
 * <p>Service scope, failing closed: a {@code services} claim (a JSON array or a comma/space separated string) limits
 * the caller to those services whatever its roles, {@code *} meaning all; without the claim,
 * {@code rollwatch.security.services."<subject>"} may give the list; without either, a token whose only role is
 * {@code admin} may act on every service (it manages the notifier's channels and routes, which serve all services, and
 * reads their deliveries) and any other token — one that combines {@code admin} with another role included — on
 * none. docs/security.md, "Service scope".
 */
@RequestScoped
public class Caller {

    public static final String SERVICES_CLAIM = "services";
    public static final String ALL = "*";

    @Inject
    SecurityIdentity identity;

    @Inject
    org.eclipse.microprofile.config.Config config;

    /** The token subject ({@code sub}, else the principal name); what every event a request causes records. */
    public String subject() {
        return subjectOf(identity.getPrincipal());
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** True when the caller may read or act on objects of {@code service}. */
    public boolean mayAccess(String service) {
        Set<String> scope = serviceScope();
        return scope == null || scope.contains(service);
    }

    /** The services this caller may act on, or {@code null} for all of them. */
    public Set<String> serviceScope() {
        Set<String> claimed = claimedServices(identity.getPrincipal());
        if (claimed == null) {
            List<String> mapped = config.getOptionalValues("rollwatch.security.services.\"" + subject() + "\"",
                    String.class).orElse(null);
            if (mapped != null) {
                claimed = new LinkedHashSet<>();
                for (String s : mapped) {
                    claimed.add(s.trim());
                }
            }
        }
        if (claimed != null) {
            return claimed.contains(ALL) ? null : Set.copyOf(claimed);
        }
        Set<String> roles = identity.getRoles();
        boolean adminOnly = !roles.isEmpty() && roles.stream().allMatch(Roles.ADMIN::equals);
        return adminOnly ? null : Set.of();
    }

    /** Throws 403 problem+json unless the caller may act on {@code service}; call it for every object touched. */
    public void requireService(String service) {
        if (!mayAccess(service)) {
            throw new ProblemException(403, "forbidden-service", "Forbidden",
                    "this token does not allow acting on service '" + service + "'");
        }
    }

    /**
     * The check for an object that may not be known yet (a deployment named by a request before its first event
     * arrived, or never): {@code service} is the object's service, {@code null} when it is unknown. Passes when the
     * caller may act on that service, and for an unknown object only when the caller may act on every service (it
     * then answers the usual 404). Else 403 {@code forbidden-service}, the same answer whether the object is unknown
     * or of another service: a caller limited to some services learns neither whether it exists nor its service.
     * Call it where the object is locked, in the transaction that acts on it, so nothing can change in between.
     */
    public void requireServiceOf(String object, String service) {
        boolean allowed = service == null ? serviceScope() == null : mayAccess(service);
        if (!allowed) {
            throw new ProblemException(403, "forbidden-service", "Forbidden",
                    "this token does not allow acting on " + object);
        }
    }

    public static String subjectOf(Principal principal) {
        if (principal == null) {
            return "anonymous";
        }
        if (principal instanceof JsonWebToken jwt && jwt.getSubject() != null && !jwt.getSubject().isBlank()) {
            return jwt.getSubject();
        }
        String name = principal.getName();
        return name == null || name.isBlank() ? "anonymous" : name;
    }

    static Set<String> claimedServices(Principal principal) {
        if (!(principal instanceof JsonWebToken jwt) || !jwt.containsClaim(SERVICES_CLAIM)) {
            return null;
        }
        Object value = jwt.getClaim(SERVICES_CLAIM);
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof JsonArray array) {
            for (JsonValue v : array) {
                out.add(v instanceof JsonString s ? s.getString() : v.toString());
            }
        } else if (value instanceof JsonString s) {
            split(s.getString(), out);
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v)));
        } else if (value != null) {
            split(String.valueOf(value), out);
        }
        out.removeIf(String::isBlank);
        return out;
    }

    private static void split(String s, Set<String> out) {
        for (String part : s.split("[,\\s]+")) {
            out.add(part.trim());
        }
    }
}
