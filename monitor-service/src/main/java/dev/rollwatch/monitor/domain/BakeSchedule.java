package dev.rollwatch.monitor.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The bake window's checkpoints after a deployment SUCCEEDED (runbooks 001/002: checks at 15 minutes, 30 minutes and
 * 1 hour), as pure functions. The configured offsets inside the window are kept in order, those at or beyond its end
 * dropped, and the window's end is always the last checkpoint (with {@code last = true}, after which the watch stops).
 */
public final class BakeSchedule {

    private BakeSchedule() {
    }

    /** The checkpoints of a window: the configured offsets strictly inside it, in order, then the window's end. */
    public static List<Duration> checkpoints(List<Duration> configured, Duration window) {
        if (window == null || window.isZero() || window.isNegative()) {
            return List.of();
        }
        TreeSet<Duration> inside = new TreeSet<>();
        for (Duration d : configured) {
            if (d != null && !d.isZero() && !d.isNegative() && d.compareTo(window) < 0) {
                inside.add(d);
            }
        }
        List<Duration> all = new ArrayList<>(inside);
        all.add(window);
        return List.copyOf(all);
    }

    /** How many checkpoints are due at {@code now} (those whose offset from {@code succeededAt} has passed). */
    public static int due(List<Duration> checkpoints, Instant succeededAt, Instant now) {
        int n = 0;
        for (Duration d : checkpoints) {
            if (!now.isBefore(succeededAt.plus(d))) {
                n++;
            }
        }
        return n;
    }
}
