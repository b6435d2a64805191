package dev.rollwatch.events;

import java.time.Duration;

/**
 * The full content of one rollback policy version: what each severity does ({@code ROLLBACK}, {@code CONDITIONAL},
 * {@code ALERT}, {@code NOTIFY}), the repeat/persistence rule for CONDITIONAL severities, auto-rollback, freeze and
 * the rollback deadline.
 */
public record PolicyContent(String p1, String p2, String p3, int repeatCount, Duration repeatWindow,
        boolean autoRollback, boolean freeze, Duration rollbackDeadline) {

    public PolicyContent {
        Require.text(p1, "p1");
        Require.text(p2, "p2");
        Require.text(p3, "p3");
        Require.present(repeatWindow, "repeatWindow");
        Require.present(rollbackDeadline, "rollbackDeadline");
    }
}
