package dev.rollwatch.cli.commands;

import dev.rollwatch.cli.Rollwatch;

/** Who acts is the token's subject (docs/security.md): no request body names anyone any more. */
final class Actor {

    private Actor() {
    }

    /** The old {@code --by WHO} option: refused with what to do instead, rather than an unknown-option error. */
    static void refuseBy(String by) {
        if (by != null) {
            throw new Rollwatch.UsageException("--by is gone: who acts is the subject of the token "
                    + "(./rollwatch token --subject " + by + " --role ...)");
        }
    }
}
