package dev.rollwatch.rollback.rest;

import dev.rollwatch.platform.security.Caller;

/**
 * The service scope of the rollback API (docs/security.md): a caller acts only on objects of its services; a policy
 * scope of {@code *} (any service) applies to every service, so anyone who may read policies may read it, while
 * changing it needs a token for all services.
 */
final class Scopes {

    static final String ANY = "*";

    private Scopes() {
    }

    /** 403 {@code forbidden-service} unless the caller may act on {@code service} (unknown: only an unscoped caller). */
    static void require(Caller caller, String service) {
        if (service == null) {
            if (caller.serviceScope() != null) {
                caller.requireService("(unknown)");
            }
            return;
        }
        caller.requireService(service);
    }

    /** Policies of {@code *} are read by everyone who may read policies; the rest as {@link #require}. */
    static boolean mayReadPolicy(Caller caller, String service) {
        return ANY.equals(service) || caller.mayAccess(service);
    }

    static void requireReadPolicy(Caller caller, String service) {
        if (!mayReadPolicy(caller, service)) {
            caller.requireService(service);
        }
    }
}
