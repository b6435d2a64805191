package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Durations;
import dev.rollwatch.events.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The runbooks' judgement as a pure function: (breach, where the deployment stands, earlier breaches, policy, policy
 * pack, now) → decision, the rule that fired and the runbook rule it encodes. No clock, no database: every rule of
 * the pack and every cell of the matrix is tested directly.
 *
 * <p>Order: a finished deployment ignores breaches (except a SUCCEEDED one's inside its bake window, decided like
 * any other); a deployment already rolling back attaches them to that rollback; otherwise the first pack rule whose
 * conditions hold decides (its SEVERITY action: the policy's matrix row). A would-be rollback waits for its
 * {@code sustainedFor} (an ALERT naming when it rolls back), and is held (page) when there is no known good version
 * to roll back to, held by the policy's rollback hold (page), or turned into an approval request when auto-rollback
 * is off.
 */
public final class DecisionMatrix {

    /** The rule of a would-be rollback held because there is no version to roll back to. */
    public static final String NO_KNOWN_GOOD_VERSION = "no-known-good-version";
    /** The rule of a would-be rollback held by the policy's rollback hold (was {@code freeze}). */
    public static final String ROLLBACK_HOLD = "rollback-hold";
    /** The rule of a would-be rollback that needs approval because auto-rollback is off. */
    public static final String AUTO_ROLLBACK_OFF = "auto-rollback-off";
    /** The rule of a CONDITIONAL decision's default action, applied at its deadline. */
    public static final String CONDITIONAL_DEFAULT = "conditional-default";

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
        /** It finished SUCCEEDED: a breach inside its bake window ({@code phase bake}) is decided like any other. */
        SUCCEEDED,
        /** As SUCCEEDED, with no version before it to roll back to. */
        SUCCEEDED_NO_KNOWN_GOOD,
        /** It finished otherwise (failed, aborted, rolled back). */
        FINISHED
    }

    /** {@link #decide(BreachFacts, Situation, List, PolicyRules, PolicyPack, Instant)} with the runbook pack, now = observed. */
    public static Verdict decide(BreachFacts breach, Situation situation, List<PriorBreach> history,
            PolicyRules policy) {
        return decide(breach, situation, history, policy, PolicyPack.runbook(), breach.observedAt());
    }

    public static Verdict decide(BreachFacts breach, Situation situation, List<PriorBreach> history,
            PolicyRules policy, PolicyPack pack, Instant now) {
        String what = breach.severity() + " breach of " + breach.check() + ": " + breach.measurement();
        boolean bake = BreachFacts.PHASE_BAKE.equals(breach.phase());
        if (situation == Situation.FINISHED || ((situation == Situation.SUCCEEDED
                || situation == Situation.SUCCEEDED_NO_KNOWN_GOOD) && !bake)) {
            return Verdict.of(DecisionAction.IGNORED, "deployment-finished",
                    what + "; the deployment has already finished" + (situation == Situation.FINISHED ? ""
                            : " and the breach is not inside its bake window") + ", nothing to roll back")
                    .from(null, breach.severity());
        }
        if (situation == Situation.ROLLBACK_REQUESTED) {
            return Verdict.of(DecisionAction.ATTACHED, "rollback-already-requested",
                    what + "; attached to the rollback already requested for this deployment")
                    .from(null, breach.severity());
        }
        if (bake) {
            what = what + " (bake window of the SUCCEEDED deployment)";
        }
        PolicyPack.Rule rule = firstMatch(breach, history, policy, pack);
        Severity sev = rule != null && rule.then().severity() != null ? rule.then().severity() : breach.severity();
        String sevName = sev.name().toLowerCase(Locale.ROOT);
        if (rule != null && rule.then().severity() != null && rule.then().severity() != breach.severity()) {
            what = what + " (severity " + sev + " by rule " + rule.id() + ")";
        }
        PolicyPack.Action action = rule == null ? PolicyPack.Action.SEVERITY : rule.then().action();
        boolean row = action == PolicyPack.Action.SEVERITY;
        if (row) {
            action = PolicyPack.Action.valueOf(policy.actionFor(sev).name());
        }
        String id = rule == null ? sevName + "-matrix" : rule.id();
        String cites = rule == null ? "" : " (" + pack.ref() + " " + rule.id() + ": " + rule.seed() + ")";
        PolicyRules.RuleOverride override = policy.override(id);
        Verdict wanted = switch (action) {
            case NOTIFY -> Verdict.of(DecisionAction.NOTIFY, row ? sevName + "-notify" : id,
                    what + "; " + (row ? sev + " notifies only" : "notify only") + cites);
            case ALERT -> Verdict.of(DecisionAction.ALERT, row ? sevName + "-alert" : id,
                    what + "; " + (row ? sev + " alerts only" : "alert only") + cites);
            case MONITOR -> monitor(breach, history, policy, what, sevName);
            case CONDITIONAL -> conditional(breach, situation, policy, rule, override, sev, row ? sevName
                    + "-conditional" : id, what, cites, now);
            case ROLLBACK -> rollback(breach, rule, override, row ? sevName + "-immediate" : id,
                    what, cites, now);
            case SEVERITY -> throw new IllegalStateException("unreachable");
        };
        return held(wanted, situation, policy, what).from(rule, sev);
    }

    /** The first rule of the pack whose conditions all hold, or null. */
    public static PolicyPack.Rule firstMatch(BreachFacts b, List<PriorBreach> history, PolicyRules policy,
            PolicyPack pack) {
        for (PolicyPack.Rule rule : pack.rules()) {
            if (matches(rule, b, history, policy)) {
                return rule;
            }
        }
        return null;
    }

    static boolean matches(PolicyPack.Rule rule, BreachFacts b, List<PriorBreach> history, PolicyRules policy) {
        PolicyPack.When w = rule.when();
        if (w == null) {
            return true;
        }
        boolean measured = BreachFacts.KIND_THRESHOLD.equals(b.kind()) || BreachFacts.KIND_CRITERIA.equals(b.kind());
        if (w.severity() != null && w.severity() != b.severity()) {
            return false;
        }
        if (w.kind() != null && !w.kind().equals(b.kind())) {
            return false;
        }
        if (w.metric() != null && !w.metric().equals(b.metric())) {
            return false;
        }
        if (w.check() != null && !w.check().equals(b.check())) {
            return false;
        }
        if (w.phase() != null && !w.phase().equals(b.phase())) {
            return false;
        }
        if (w.threshold() != null && (!measured || !w.threshold().contains(b.threshold()))) {
            return false;
        }
        if (w.value() != null && (!measured || Double.isNaN(b.value()) || !w.value().contains(b.value()))) {
            return false;
        }
        if (w.growing() != null && w.growing() != (b.trendPerHour() != null && b.trendPerHour() > 0)) {
            return false;
        }
        if (w.sinceDeploymentStart() != null && (b.deploymentStartedAt() == null
                || !w.sinceDeploymentStart().contains(Duration.between(b.deploymentStartedAt(), b.observedAt())))) {
            return false;
        }
        if (w.sinceStepStart() != null && (b.stepStartedAt() == null
                || !w.sinceStepStart().contains(Duration.between(b.stepStartedAt(), b.observedAt())))) {
            return false;
        }
        if (w.occurrences() != null) {
            PolicyRules.RuleOverride o = policy.override(rule.id());
            Duration within = o != null && o.within() != null ? o.within() : w.occurrences().within();
            return occurrences(b, history, w.occurrences().of(), within).size() + 1 >= w.occurrences().atLeast();
        }
        return true;
    }

    /** Earlier breaches (not this one) of the same check, or of the same severity, within {@code within}. */
    static List<PriorBreach> occurrences(BreachFacts b, List<PriorBreach> history, String of, Duration within) {
        Instant from = b.observedAt().minus(within);
        List<PriorBreach> counted = new ArrayList<>();
        for (PriorBreach prior : history) {
            boolean same = PolicyPack.Occurrences.OF_SEVERITY.equals(of) ? prior.severity() == b.severity()
                    : prior.severity() == b.severity() && prior.check().equals(b.check());
            if (same && !prior.eventId().equals(b.eventId()) && prior.observedAt().isAfter(from)
                    && !prior.observedAt().isAfter(b.observedAt())) {
                counted.add(prior);
            }
        }
        counted.sort(Comparator.comparing(PriorBreach::observedAt));
        return counted;
    }

    private static Verdict rollback(BreachFacts b, PolicyPack.Rule rule, PolicyRules.RuleOverride override,
            String id, String what, String cites, Instant now) {
        Duration sustainedFor = override != null && override.sustainedFor() != null ? override.sustainedFor()
                : rule == null ? null : rule.then().sustainedFor();
        if (sustainedFor != null) {
            Duration lasted = Duration.between(b.episodeStart(), b.observedAt());
            if (lasted.compareTo(sustainedFor) < 0) {
                Instant since = now.isAfter(b.observedAt()) ? now : b.observedAt();
                Instant at = since.plus(sustainedFor.minus(lasted));
                return new Verdict(DecisionAction.ALERT, id, what + "; rule " + id + " rolls back once sustained for "
                        + Durations.format(sustainedFor) + ": alert now, roll back at " + at
                        + " if the episode is still open" + cites, List.of(), null, null, null, null, at, null,
                        null, null);
            }
            return new Verdict(DecisionAction.ROLLBACK, id, what + "; sustained for " + Durations.format(lasted)
                    + " (rule " + id + ": " + Durations.format(sustainedFor) + "): roll back" + cites,
                    List.of(b.eventId()), b.observedAt());
        }
        return new Verdict(DecisionAction.ROLLBACK, id, what + "; roll back immediately" + cites,
                List.of(b.eventId()), b.observedAt());
    }

    private static Verdict conditional(BreachFacts b, Situation situation, PolicyRules policy,
            PolicyPack.Rule rule, PolicyRules.RuleOverride override, Severity sev, String id, String what,
            String cites, Instant now) {
        if (situation == Situation.OPEN_NO_KNOWN_GOOD || situation == Situation.SUCCEEDED_NO_KNOWN_GOOD) {
            return noKnownGood(id, what);
        }
        Duration within = override != null && override.decideWithin() != null ? override.decideWithin()
                : rule != null && rule.then().decideWithin() != null ? rule.then().decideWithin()
                : sev.responseTarget() != null ? sev.responseTarget() : policy.repeatWindow();
        Instant since = now.isAfter(b.observedAt()) ? now : b.observedAt();
        Instant decideBy = since.plus(within);
        return new Verdict(DecisionAction.CONDITIONAL, id, what + "; conditional rollback: " + policy.deciders()
                + " decides by " + decideBy + " (" + Durations.format(within) + ") whether to roll back or hold; "
                + "nobody deciding means " + policy.conditionalDefault() + cites, List.of(b.eventId()),
                b.observedAt(), null, null, null, null, decideBy, policy.deciders(), policy.conditionalDefault());
    }

    /**
     * The default action of a CONDITIONAL decision nobody resolved by its deadline (rule
     * {@code conditional-default}): ROLLBACK (held by a rollback hold, no known good version, auto-rollback off like
     * any automatic rollback) or HOLD. Empty before the deadline or when the deployment is no longer open.
     */
    public static Optional<Verdict> conditionalDefault(String conditionalId, String defaultAction, Instant decideBy,
            Severity severity, String breachEventId, Instant observedAt, Situation situation, PolicyRules policy,
            Instant now) {
        if (now.isBefore(decideBy) || !isOpen(situation)) {
            return Optional.empty();
        }
        String what = "conditional decision " + conditionalId + " was not resolved by " + decideBy;
        if (PolicyRules.HOLD.equals(defaultAction)) {
            return Optional.of(new Verdict(DecisionAction.HOLD, CONDITIONAL_DEFAULT, what
                    + ": its default action is HOLD, no rollback; keep paging", List.of(), null, severity, null,
                    null, null, null, null, null));
        }
        Verdict wanted = new Verdict(DecisionAction.ROLLBACK, CONDITIONAL_DEFAULT, what
                + ": its default action is ROLLBACK", breachEventId == null ? List.of() : List.of(breachEventId),
                observedAt, severity, null, null, null, null, null, null);
        Verdict held = held(wanted, situation, policy, what);
        return Optional.of(held == wanted ? wanted : held.from(null, severity));
    }

    /**
     * The persistence rule of a MONITOR severity: a breach whose episode is still open once the policy's window has
     * passed rolls back (rule {@code <severity>-persisted}), subject to the rollback hold and auto-rollback like any
     * rollback; one that recovered before its window ended does not (rule {@code <severity>-recovered}, an ALERT:
     * "recovered after X, alert only"), decided as soon as the recovery is known. The window runs from when this
     * service learnt of the breach, or from its observation if that is later (clock skew): a breach that arrives late
     * has not been seen to persist yet. An episode that recovered only after its window ended was open at the end of
     * the window and rolls back. Empty when there is nothing to decide (yet): the deployment is not open (finished,
     * or already rolling back: a recovery changes nothing then), the window has not passed and no recovery is known,
     * or the severity is no longer MONITOR.
     */
    public static Optional<Verdict> persisted(OpenBreach breach, Situation situation, PolicyRules policy,
            Instant now) {
        if (!isOpen(situation) || policy.actionFor(breach.severity()) != SeverityAction.MONITOR) {
            return Optional.empty();
        }
        Duration window = policy.repeatWindow();
        Instant since = breach.decidedAt().isAfter(breach.observedAt()) ? breach.decidedAt() : breach.observedAt();
        return followUp(breach, since.plus(window), window, breach.severity().name().toLowerCase(Locale.ROOT)
                + "-recovered", breach.severity().name().toLowerCase(Locale.ROOT) + "-persisted", situation, policy,
                now);
    }

    /**
     * The follow-up of a rule that rolls back only once sustained ({@code sustainedFor}): at {@code rollsBackAt} an
     * episode still open rolls back (rule {@code ruleId}, held like any rollback); one that recovered before then is
     * an ALERT (rule {@code <ruleId>-recovered}), decided as soon as the recovery is known. Empty before then, or when
     * the deployment is not open.
     */
    public static Optional<Verdict> sustained(OpenBreach breach, String ruleId, Instant rollsBackAt,
            Situation situation, PolicyRules policy, Instant now) {
        if (!isOpen(situation)) {
            return Optional.empty();
        }
        Instant since = breach.decidedAt().isAfter(breach.observedAt()) ? breach.decidedAt() : breach.observedAt();
        Duration window = rollsBackAt.isAfter(since) ? Duration.between(since, rollsBackAt) : Duration.ZERO;
        return followUp(breach, rollsBackAt, window, ruleId + "-recovered", ruleId, situation, policy, now);
    }

    private static Optional<Verdict> followUp(OpenBreach breach, Instant windowEnd, Duration window,
            String recoveredRule, String rollbackRule, Situation situation, PolicyRules policy, Instant now) {
        String what = breach.severity() + " breach of " + breach.check() + " observed at " + breach.observedAt()
                + " (event " + breach.eventId() + ")";
        Instant recoveredAt = breach.recoveredAt();
        if (recoveredAt != null && recoveredAt.isBefore(windowEnd)) {
            Duration lasted = recoveredAt.isAfter(breach.observedAt())
                    ? Duration.between(breach.observedAt(), recoveredAt) : Duration.ZERO;
            return Optional.of(Verdict.of(DecisionAction.ALERT, recoveredRule, what + "; recovered after "
                    + Durations.format(lasted) + " (at " + recoveredAt + "), within its " + Durations.format(window)
                    + " window: alert only, no rollback"));
        }
        if (now.isBefore(windowEnd)) {
            return Optional.empty();
        }
        String evidence = recoveredAt == null ? "no recovery and no newer episode of the check"
                : "it recovered only at " + recoveredAt + ", after the window";
        Verdict wanted = new Verdict(DecisionAction.ROLLBACK, rollbackRule, what + "; not recovered within "
                + Durations.format(window) + " (" + evidence + "): roll back", List.of(breach.eventId()),
                breach.observedAt());
        return Optional.of(held(wanted, situation, policy, what));
    }

    /** Whether breaches of a deployment in this situation are decided (open, or SUCCEEDED inside its bake window). */
    public static boolean isOpen(Situation situation) {
        return situation == Situation.OPEN || situation == Situation.OPEN_NO_KNOWN_GOOD
                || situation == Situation.SUCCEEDED || situation == Situation.SUCCEEDED_NO_KNOWN_GOOD;
    }

    private static Verdict noKnownGood(String rule, String what) {
        return Verdict.of(DecisionAction.ALERT, NO_KNOWN_GOOD_VERSION, what + "; rule " + rule
                + " would roll back but there is no known good version to roll back to (no deployment of the"
                + " service succeeded in this environment and none was named as previous version): not rolled"
                + " back, hold and page; abort the deployment or fix forward");
    }

    /**
     * A would-be rollback is held (page) when there is no known good version to go back to — neither approving it
     * nor lifting a rollback hold would give it one, so this comes first —, held by the policy's rollback hold
     * (page), or turned into an approval request when auto-rollback is off.
     */
    private static Verdict held(Verdict wanted, Situation situation, PolicyRules policy, String what) {
        if (wanted.action() != DecisionAction.ROLLBACK) {
            return wanted;
        }
        if (situation == Situation.OPEN_NO_KNOWN_GOOD || situation == Situation.SUCCEEDED_NO_KNOWN_GOOD) {
            return noKnownGood(wanted.rule(), what);
        }
        if (policy.rollbackHold()) {
            return Verdict.of(DecisionAction.ALERT, ROLLBACK_HOLD, what + "; rule " + wanted.rule()
                    + " would roll back but the policy holds rollbacks: hold, page instead");
        }
        if (!policy.autoRollback()) {
            return Verdict.of(DecisionAction.ALERT, AUTO_ROLLBACK_OFF, what + "; rule " + wanted.rule()
                    + " would roll back but auto-rollback is off: approval needed");
        }
        return wanted;
    }

    private static Verdict monitor(BreachFacts breach, List<PriorBreach> history, PolicyRules policy,
            String what, String sev) {
        Duration window = policy.repeatWindow();
        List<PriorBreach> counted = occurrences(breach, history, PolicyPack.Occurrences.OF_CHECK, window);
        int occurrences = counted.size() + 1;
        String count = occurrences + " of " + policy.repeatCount() + " within " + Durations.format(window);
        if (occurrences < policy.repeatCount()) {
            return Verdict.of(DecisionAction.ALERT, sev + "-below-repeat-limit",
                    what + "; occurrence " + count + ": alert only, rolls back if it persists "
                            + Durations.format(window));
        }
        List<String> ids = new ArrayList<>();
        counted.forEach(p -> ids.add(p.eventId()));
        ids.add(breach.eventId());
        return new Verdict(DecisionAction.ROLLBACK, sev + "-repeated",
                what + "; occurrence " + count + ": roll back", ids, breach.observedAt());
    }
}
