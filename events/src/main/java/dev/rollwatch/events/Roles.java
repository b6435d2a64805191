package dev.rollwatch.events;

import java.util.List;

/**
 * The roles a Rollwatch token carries in its {@code groups} claim, named once for the services (platform's
 * {@code Roles} refers to these constants, with what each grants), the CLI's token minting and the tests. Here
 * because the CLI, which cannot use platform, depends on this module; not part of the event contract.
 */
public final class Roles {

    public static final String DEPLOYER = "deployer";
    public static final String OPERATOR = "operator";
    public static final String AUDITOR = "auditor";
    public static final String ADMIN = "admin";
    public static final String AGENT = "agent";

    /** Every role, in the order the docs list them. */
    public static final List<String> ALL = List.of(DEPLOYER, OPERATOR, AUDITOR, ADMIN, AGENT);

    private Roles() {
    }
}
