package dev.rollwatch.rollback.rest;

/**
 * Texts the OpenAPI annotations of several resources share: the API contract is the document served at
 * /q/openapi (issue 19, 6), and these say the same thing the same way everywhere.
 */
final class ApiDocs {

    static final String UNAUTHORIZED = "`unauthorized`: no valid bearer token (none, or one that is expired, signed "
            + "by another key, or for another issuer or audience); `WWW-Authenticate: Bearer`";
    static final String READERS = "`forbidden`: neither deployer nor operator";
    static final String OPERATORS = "`forbidden`: not an operator";
    static final String FORBIDDEN_SERVICE = "`forbidden-service`: the token's `services` claim does not allow the "
            + "object's service";
    static final String BODY = "`malformed-body` (not JSON, an unknown field such as `requestedBy` or `changedBy`, a "
            + "value of the wrong type)";
    static final String RATE_LIMITED = "`rate-limited`: too many changes from this identity (a burst of 60, then "
            + "10/s by default: `rollwatch.security.rate-limit.*`); `Retry-After` says when to retry";
    static final String TOO_LARGE = "`body-too-large`: the body is over 1 MiB";
    static final String LENGTH_REQUIRED = "`length-required`: a chunked body without Content-Length";
    static final String SERVICE = "The service, or `*` for any";
    static final String ENVIRONMENT = "The environment, or `*` for any";

    private ApiDocs() {
    }
}
