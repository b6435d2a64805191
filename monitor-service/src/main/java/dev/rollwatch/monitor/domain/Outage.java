package dev.rollwatch.monitor.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a watched target is down, as pure functions (issue 15, item 1; runbook 002: application down → P0).
 *
 * <p>Two signals say whether the watched version can be reached: {@link Signal#HEALTH} (its health endpoint,
 * {@code {target.url}/health?version=<version>}: a refused connection, a timeout or a 5xx is down) and
 * {@link Signal#METRICS} (its metrics source: the fetch failed, answered 5xx, or a good scrape no longer carries the
 * version's series after it had carried them). Each signal remembers since when it has been failing; the target is
 * down since the earliest of them and up when none fails. A metric a good scrape simply does not expose is "no data",
 * which is neither signal: it never counts as an outage.
 *
 * <p>Argo's rule holds for a single read: one failed read is an ERROR measurement, not a failure. Only when the
 * target has been down for the whole {@code window} does an outage episode open (one ThresholdBreached of kind
 * {@code unavailable}, P0); the first time every signal answers again closes it (one ThresholdRecovered).
 */
public final class Outage {

    private Outage() {
    }

    /** Where a sign of life comes from. */
    public enum Signal { HEALTH, METRICS }

    /** What to announce after a report. */
    public enum Decision { NONE, OPEN, CLOSE }

    /**
     * The state of one watch's target.
     *
     * @param healthDownSince  since when the health endpoint has been failing, null while it answers (or is not asked)
     * @param metricsDownSince since when the metrics source has been failing, null while it answers
     * @param open             an outage episode is open (its ThresholdBreached was emitted)
     */
    public record State(Instant healthDownSince, Instant metricsDownSince, boolean open) {

        public static final State UP = new State(null, null, false);

        /** Since when the target has been unreachable: the earliest failing signal; null when nothing fails. */
        public Instant downSince() {
            if (healthDownSince == null) {
                return metricsDownSince;
            }
            if (metricsDownSince == null) {
                return healthDownSince;
            }
            return healthDownSince.isBefore(metricsDownSince) ? healthDownSince : metricsDownSince;
        }

        /** Whole seconds the target has been unreachable at {@code now} (0 when it answers). */
        public long secondsDown(Instant now) {
            Instant since = downSince();
            return since == null ? 0 : Math.max(0, Duration.between(since, now).toSeconds());
        }
    }

    /** A signal answered ({@code up}) or failed at {@code at}: a failure keeps the earliest time it began. */
    public static State report(State s, Signal signal, boolean up, Instant at) {
        Instant current = signal == Signal.HEALTH ? s.healthDownSince() : s.metricsDownSince();
        Instant next = up ? null : (current != null ? current : at);
        return signal == Signal.HEALTH ? new State(next, s.metricsDownSince(), s.open())
                : new State(s.healthDownSince(), next, s.open());
    }

    /**
     * What the state means at {@code now}: an outage episode opens when the target has been down for at least
     * {@code window} and none is open; an open one closes when every signal answers again.
     */
    public static Decision decide(State s, Instant now, Duration window) {
        Instant since = s.downSince();
        if (since == null) {
            return s.open() ? Decision.CLOSE : Decision.NONE;
        }
        if (!s.open() && !now.isBefore(since.plus(window))) {
            return Decision.OPEN;
        }
        return Decision.NONE;
    }

    /**
     * How an HTTP answer of a health endpoint or a metrics source counts: 2xx (and 3xx) up, 5xx down, anything else
     * (404: the endpoint does not exist, 401/403: not allowed) no signal (null) — a target that does not serve the
     * endpoint is not down. A refused connection or a timeout is down (the caller passes {@code status} 0).
     */
    public static Boolean up(int status) {
        if (status == 0 || status >= 500) {
            return false;
        }
        if (status < 400) {
            return true;
        }
        return null;
    }
}
