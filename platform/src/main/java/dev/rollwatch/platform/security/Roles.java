package dev.rollwatch.platform.security;

/**
 * The roles a token carries in its {@code groups} claim. Least privilege: a role grants what it names and nothing
 * else; a person who needs two jobs gets a token with both. docs/security.md has the matrix per endpoint. The names
 * themselves are written once, in {@link dev.rollwatch.events.Roles} (which the CLI can use too).
 */
public final class Roles {

    /** Starts, reads and cancels (aborts) deployments of the services it is allowed. */
    public static final String DEPLOYER = dev.rollwatch.events.Roles.DEPLOYER;
    /** Approves, aborts, promotes and rolls back deployments, edits rollback policies; reads what it acts on. */
    public static final String OPERATOR = dev.rollwatch.events.Roles.OPERATOR;
    /** Reads, verifies, streams and replays the audit log; changes nothing. */
    public static final String AUDITOR = dev.rollwatch.events.Roles.AUDITOR;
    /**
     * Manages notification channels and routes (and sees that they exist, never their secrets). A token whose only
     * role this is acts on every service without a {@code services} claim (its channels serve them all); combined
     * with any other role it needs a claim like every other token ({@link Caller}).
     */
    public static final String ADMIN = dev.rollwatch.events.Roles.ADMIN;
    /** A machine client that pushes metric samples (monitor-service) and nothing else. */
    public static final String AGENT = dev.rollwatch.events.Roles.AGENT;

    private Roles() {
    }
}
