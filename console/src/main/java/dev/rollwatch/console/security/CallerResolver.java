package dev.rollwatch.console.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: a bearer token pasted into the page (verified with the services' own {@code mp.jwt.*} settings,
 * so the console accepts exactly the tokens the services accept), or, when OIDC sign-in is on, the session's access
 * token. Neither a token nor the reason it was refused is logged.
 */
@ApplicationScoped
public class CallerResolver {

    private static final Logger LOG = Logger.getLogger(CallerResolver.class);
    private static final String BEARER = "bearer ";

    private final JWTParser parser;
    private final boolean oidc;

    CallerResolver(JWTParser parser,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.parser = parser;
        this.oidc = oidc;
    }

    /** True when sign-in is by the OIDC authorization code flow rather than a pasted token. */
    public boolean oidcEnabled() {
        return oidc;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    public static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    /** The verified token, or empty when it is not one the services would accept. */
    public Optional<JsonWebToken> verify(String token) {
        try {
            return Optional.of(parser.parse(token));
        } catch (ParseException e) {
            LOG.debug("a bearer token was refused");
            return Optional.empty();
        } catch (RuntimeException e) {
            // The verification key cannot be read (mp.jwt.verify.publickey.location): no token can be accepted.
            LOG.errorf("no token can be verified: %s (is ROLLWATCH_JWT_PUBLIC_KEY right?)",
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The access token of the OIDC session behind {@code identity}, or null (no OIDC, no session). */
    public String sessionAccessToken(SecurityIdentity identity) {
        if (!oidc || identity == null || identity.isAnonymous()) {
            return null;
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        return credential == null ? null : credential.getToken();
    }

    /**
     * The caller of a request with this {@code Authorization} header and (OIDC) session identity: the header wins;
     * a session's access token is described as the services will see it, else (an opaque access token, or one the
     * services' settings do not verify) as the OIDC identity.
     */
    public Optional<ConsoleUser> resolve(String authorization, SecurityIdentity identity) {
        String bearer = bearerToken(authorization);
        if (bearer != null) {
            return verify(bearer).map(ConsoleUser::of);
        }
        String session = sessionAccessToken(identity);
        if (session == null) {
            return Optional.empty();
        }
        Optional<ConsoleUser> asServicesSeeIt = verify(session).map(ConsoleUser::of);
        if (asServicesSeeIt.isPresent()) {
            return asServicesSeeIt;
        }
        Set<String> claimed = identity.getPrincipal() instanceof JsonWebToken jwt
                && jwt.containsClaim(ConsoleUser.SERVICES_CLAIM)
                ? ConsoleUser.claimed(jwt.getClaim(ConsoleUser.SERVICES_CLAIM)) : null;
        String subject = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject() : identity.getPrincipal().getName();
        return Optional.of(ConsoleUser.of(subject, identity.getRoles(), claimed));
    }
}
