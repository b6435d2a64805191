package dev.rollwatch.console.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The caller as {@code GET /console/me} shows it: the token's subject, its roles (the {@code groups} claim) and the
 * services it may act on ({@code null} = all). The services apply the same rules (platform's {@code Caller}): a
 * {@code services} claim (array or comma/space separated string, {@code *} = all) limits the caller; without it (and
 * without a per-subject mapping, which only the services know) a token whose only role is admin may act on every
 * service and any other token on none. The page only uses this to hide what the caller may not
 * do; the services still decide.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConsoleUser(String subject, List<String> roles, List<String> services) {

    static final String SERVICES_CLAIM = "services";
    static final String ADMIN = "admin";

    public static ConsoleUser of(JsonWebToken jwt) {
        String subject = jwt.getSubject() != null && !jwt.getSubject().isBlank() ? jwt.getSubject() : jwt.getName();
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        return of(subject, groups, jwt.containsClaim(SERVICES_CLAIM) ? claimed(jwt.getClaim(SERVICES_CLAIM)) : null);
    }

    /** {@code claimedServices} null when the token has no services claim. */
    public static ConsoleUser of(String subject, Collection<String> roles, Set<String> claimedServices) {
        List<String> sortedRoles = List.copyOf(new TreeSet<>(roles));
        List<String> services;
        if (claimedServices != null) {
            services = claimedServices.contains("*") ? null : List.copyOf(claimedServices);
        } else {
            // Fails closed like the services: only a token whose one role is admin reaches every service.
            boolean adminOnly = !roles.isEmpty() && roles.stream().allMatch(ADMIN::equals);
            services = adminOnly ? null : List.of();
        }
        return new ConsoleUser(subject, sortedRoles, services);
    }

    static Set<String> claimed(Object value) {
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
