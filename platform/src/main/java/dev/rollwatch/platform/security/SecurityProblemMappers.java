package dev.rollwatch.platform.security;

import dev.rollwatch.platform.rest.Problem;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 401 and 403 as problem+json. The detail never says why a token was refused (expired, wrong key, wrong audience):
 * that helps an attacker more than a client, and the reason is not logged with the token either.
 */
public final class SecurityProblemMappers {

    private SecurityProblemMappers() {
    }

    static Response unauthorized() {
        return Response.fromResponse(Problem.of(401, "unauthorized", "Unauthorized",
                "a valid bearer token is required (Authorization: Bearer <JWT>)").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @Provider
    public static class Unauthorized implements ExceptionMapper<UnauthorizedException> {
        @Override
        public Response toResponse(UnauthorizedException e) {
            return unauthorized();
        }
    }

    @Provider
    public static class AuthenticationFailed implements ExceptionMapper<AuthenticationFailedException> {
        @Override
        public Response toResponse(AuthenticationFailedException e) {
            return unauthorized();
        }
    }

    @Provider
    public static class AuthenticationCompletion implements ExceptionMapper<AuthenticationCompletionException> {
        @Override
        public Response toResponse(AuthenticationCompletionException e) {
            return unauthorized();
        }
    }

    @Provider
    public static class Forbidden implements ExceptionMapper<ForbiddenException> {
        @Override
        public Response toResponse(ForbiddenException e) {
            return Problem.of(403, "forbidden", "Forbidden", "this token's roles do not allow this request")
                    .toResponse();
        }
    }
}
