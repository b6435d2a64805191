package dev.rollwatch.rollback.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The runbooks' decision matrix as a pure function: (breach, where the deployment stands, earlier breaches,
 * policy) → decision and the rule that fired. No clock, no database: every cell is tested directly.
 *
 * <p>Order of the rules: a finished deployment ignores breaches; a deployment already rolling back attaches them
 * to that rollback; otherwise the severity's action applies, and a would-be rollback is held (page) when there is no
 * known good version to roll back to, held by a freeze (page), or turned into an approval request when
 * auto-rollback is off.
 */
public final class DecisionMatrix {

    /** The rule of a would-be rollback held because there is no version to roll back to. */
    public static final String NO_KNOWN_GOOD_VERSION = "no-known-good-version";

    private DecisionMatrix() {
    }

    /** Where the deployment stands when the breach is evaluated. */
    public enum Situation {
        /** Not finished, no rollback requested yet (also: not known yet, the breach came first). */
        OPEN,
        /**
         * Open, but there is no version to roll back to: the service has no SUCCEEDED deployment in the environment
         * and the deployment's DeploymentStarted named no {@code previousVersion} (its first deployment there).
         */
        OPEN_NO_KNOWN_GOOD,
        /** A rollback was already requested for it. */
        ROLLBACK_REQUESTED,
        /** It finished (any outcome). */
        FINISHED
    }

    public static Verdict decide(BreachFacts breach, Situation situation, List<PriorBreach> history,
            PolicyRules policy) {
        String what = breach.severity() + " breach of " + breach.check() + ": " + breach.measurement();
        if (situation == Situation.FINISHED) {
            return Verdict.of(DecisionAction.IGNORED, "deployment-finished",
                    what + "; the deployment has already finished, nothing to roll back");
        }
        if (situation == Situation.ROLLBACK_REQUESTED) {
            return Verdict.of(DecisionAction.ATTACHED, "rollback-already-requested",
                    what + "; attached to the rollback already requested for this deployment");
        }
        String sev = breach.severity().name().toLowerCase(Locale.ROOT);
        SeverityAction action = policy.actionFor(breach.severity());
        Verdict wanted = switch (action) {
            case NOTIFY -> Verdict.of(DecisionAction.NOTIFY, sev + "-notify", what + "; " + breach.severity()
                    + " notifies only");
            case ALERT -> Verdict.of(DecisionAction.ALERT, sev + "-alert", what + "; " + breach.severity()
                    + " alerts only");
            case ROLLBACK -> new Verdict(DecisionAction.ROLLBACK, sev + "-immediate",
                    what + "; " + breach.severity() + " rolls back immediately", List.of(breach.eventId()),
                    breach.observedAt());
            case CONDITIONAL -> conditional(breach, history, policy, what, sev);
        };
        return held(wanted, situation, policy, what);
    }

    /**
     * The persistence rule: a CONDITIONAL breach whose episode is still open once the policy's window has passed
     * rolls back (rule {@code <severity>-persisted}), subject to freeze and auto-rollback like any rollback; one that
     * recovered before its window ended does not (rule {@code <severity>-recovered}, an ALERT: "recovered after X,
     * alert only"), decided as soon as the recovery is known. The window runs from when this service learnt of the
     * breach, or from its observation if that is later (clock skew): a breach that arrives late has not been seen to
     * persist yet. An episode that recovered only after its window ended was open at the end of the window and rolls
     * back. Empty when there is nothing to decide (yet): the deployment is not open (finished, or already rolling
     * back: a recovery changes nothing then), the window has not passed and no recovery is known, or the severity is
     * no longer CONDITIONAL.
     */
    public static Optional<Verdict> persisted(OpenBreach breach, Situation situation, PolicyRules policy,
            Instant now) {
        if (!isOpen(situation) || policy.actionFor(breach.severity()) != SeverityAction.CONDITIONAL) {
            return Optional.empty();
        }
        Duration window = policy.repeatWindow();
        Instant since = breach.decidedAt().isAfter(breach.observedAt()) ? breach.decidedAt() : breach.observedAt();
        Instant windowEnd = since.plus(window);
        String sev = breach.severity().name().toLowerCase(Locale.ROOT);
        String what = breach.severity() + " breach of " + breach.check() + " observed at " + breach.observedAt()
                + " (event " + breach.eventId() + ")";
        Instant recoveredAt = breach.recoveredAt();
        if (recoveredAt != null && recoveredAt.isBefore(windowEnd)) {
            Duration lasted = recoveredAt.isAfter(breach.observedAt())
                    ? Duration.between(breach.observedAt(), recoveredAt) : Duration.ZERO;
            return Optional.of(Verdict.of(DecisionAction.ALERT, sev + "-recovered", what + "; recovered after "
                    + Durations.format(lasted) + " (at " + recoveredAt + "), within its " + Durations.format(window)
                    + " window: alert only, no rollback"));
        }
        if (now.isBefore(windowEnd)) {
            return Optional.empty();
        }
        String evidence = recoveredAt == null ? "no recovery and no newer episode of the check"
                : "it recovered only at " + recoveredAt + ", after the window";
        Verdict wanted = new Verdict(DecisionAction.ROLLBACK, sev + "-persisted", what + "; not recovered within "
                + Durations.format(window) + " (" + evidence + "): roll back", List.of(breach.eventId()),
                breach.observedAt());
        return Optional.of(held(wanted, situation, policy, what));
    }

    private static boolean isOpen(Situation situation) {
        return situation == Situation.OPEN || situation == Situation.OPEN_NO_KNOWN_GOOD;
    }

    /**
     * A would-be rollback is held (page) when there is no known good version to go back to — neither approving it
     * nor lifting a freeze would give it one, so this comes first —, held by a freeze (page), or turned into an
     * approval request when auto-rollback is off.
     */
    private static Verdict held(Verdict wanted, Situation situation, PolicyRules policy, String what) {
        if (wanted.action() != DecisionAction.ROLLBACK) {
            return wanted;
        }
        if (situation == Situation.OPEN_NO_KNOWN_GOOD) {
            return Verdict.of(DecisionAction.ALERT, NO_KNOWN_GOOD_VERSION, what + "; rule " + wanted.rule()
                    + " would roll back but there is no known good version to roll back to (no deployment of the"
                    + " service succeeded in this environment and none was named as previous version): not rolled"
                    + " back, hold and page; abort the deployment or fix forward");
        }
        if (policy.freeze()) {
            return Verdict.of(DecisionAction.ALERT, "freeze", what + "; rule " + wanted.rule()
                    + " would roll back but the policy is frozen: hold, page instead");
        }
        if (!policy.autoRollback()) {
            return Verdict.of(DecisionAction.ALERT, "auto-rollback-off", what + "; rule " + wanted.rule()
                    + " would roll back but auto-rollback is off: approval needed");
        }
        return wanted;
    }

    private static Verdict conditional(BreachFacts breach, List<PriorBreach> history, PolicyRules policy,
            String what, String sev) {
        Duration window = policy.repeatWindow();
        Instant from = breach.observedAt().minus(window);
        List<PriorBreach> counted = new ArrayList<>();
        for (PriorBreach prior : history) {
            if (prior.severity() == breach.severity() && prior.check().equals(breach.check())
                    && !prior.eventId().equals(breach.eventId())
                    && prior.observedAt().isAfter(from) && !prior.observedAt().isAfter(breach.observedAt())) {
                counted.add(prior);
            }
        }
        counted.sort(Comparator.comparing(PriorBreach::observedAt));
        int occurrences = counted.size() + 1;
        String count = occurrences + " of " + policy.repeatCount() + " within " + Durations.format(window);
        if (occurrences < policy.repeatCount()) {
            return Verdict.of(DecisionAction.ALERT, sev + "-below-repeat-limit",
                    what + "; occurrence " + count + ": alert only");
        }
        List<String> ids = new ArrayList<>();
        counted.forEach(p -> ids.add(p.eventId()));
        ids.add(breach.eventId());
        return new Verdict(DecisionAction.ROLLBACK, sev + "-repeated",
                what + "; occurrence " + count + ": roll back", ids, breach.observedAt());
    }

}
