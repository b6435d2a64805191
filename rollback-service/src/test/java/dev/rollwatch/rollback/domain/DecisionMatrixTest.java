package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Operator;
import dev.rollwatch.events.Severity;
import dev.rollwatch.rollback.domain.DecisionMatrix.Situation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionMatrixTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    private static final PolicyRules DEFAULTS = PolicyRules.runbookDefaults(1, 1);

    static BreachFacts breach(String id, Severity severity, String check, Instant observedAt) {
        return new BreachFacts(id, severity, check, "error_rate", List.of(0.02, 0.08), 0.01, Operator.GT, 2, 1,
                observedAt);
    }

    static PolicyRules policy(boolean autoRollback, boolean hold) {
        return new PolicyRules(7, 4, DEFAULTS.actions(), 3, Duration.ofMinutes(5), autoRollback, hold,
                Duration.ofMinutes(2));
    }

    static PriorBreach prior(String id, Severity severity, String check, Duration before) {
        return new PriorBreach(id, severity, check, NOW.minus(before));
    }

    /** Every cell: severity × situation × auto-rollback × freeze × history → action and rule. */
    static Stream<Arguments> matrix() {
        List<PriorBreach> none = List.of();
        List<PriorBreach> twoRecentP2 = List.of(prior("a", Severity.P2, "latency", Duration.ofMinutes(4)),
                prior("b", Severity.P2, "latency", Duration.ofMinutes(1)));
        return Stream.of(
                // severity on an open deployment with the runbook defaults (runbook 002's matrix)
                Arguments.of(Severity.P0, Situation.OPEN, true, false, none, DecisionAction.ROLLBACK, "p0-immediate"),
                Arguments.of(Severity.P1, Situation.OPEN, true, false, none, DecisionAction.CONDITIONAL,
                        "p1-conditional"),
                Arguments.of(Severity.P2, Situation.OPEN, true, false, none, DecisionAction.ALERT,
                        "p2-below-repeat-limit"),
                Arguments.of(Severity.P2, Situation.OPEN, true, false, twoRecentP2, DecisionAction.ROLLBACK,
                        "p2-repeated"),
                Arguments.of(Severity.P3, Situation.OPEN, true, false, none, DecisionAction.NOTIFY, "p3-notify"),
                Arguments.of(Severity.P3, Situation.OPEN, true, false, twoRecentP2, DecisionAction.NOTIFY,
                        "p3-notify"),
                // auto-rollback off: what would roll back asks for approval; a CONDITIONAL still asks a person
                Arguments.of(Severity.P0, Situation.OPEN, false, false, none, DecisionAction.ALERT,
                        "auto-rollback-off"),
                Arguments.of(Severity.P1, Situation.OPEN, false, false, none, DecisionAction.CONDITIONAL,
                        "p1-conditional"),
                Arguments.of(Severity.P2, Situation.OPEN, false, false, twoRecentP2, DecisionAction.ALERT,
                        "auto-rollback-off"),
                Arguments.of(Severity.P2, Situation.OPEN, false, false, none, DecisionAction.ALERT,
                        "p2-below-repeat-limit"),
                Arguments.of(Severity.P3, Situation.OPEN, false, false, none, DecisionAction.NOTIFY, "p3-notify"),
                // rollback hold: hold and page, and it wins over auto-rollback off
                Arguments.of(Severity.P0, Situation.OPEN, true, true, none, DecisionAction.ALERT, "rollback-hold"),
                Arguments.of(Severity.P0, Situation.OPEN, false, true, none, DecisionAction.ALERT, "rollback-hold"),
                Arguments.of(Severity.P1, Situation.OPEN, true, true, none, DecisionAction.CONDITIONAL,
                        "p1-conditional"),
                Arguments.of(Severity.P2, Situation.OPEN, true, true, twoRecentP2, DecisionAction.ALERT,
                        "rollback-hold"),
                Arguments.of(Severity.P3, Situation.OPEN, true, true, none, DecisionAction.NOTIFY, "p3-notify"),
                // no known good version (first deployment of the service there): what would roll back — or ask a
                // person whether to — is held and paged, before the hold and auto-rollback off (neither would give it
                // a version to go to); the rest is unchanged
                Arguments.of(Severity.P0, Situation.OPEN_NO_KNOWN_GOOD, true, false, none, DecisionAction.ALERT,
                        "no-known-good-version"),
                Arguments.of(Severity.P1, Situation.OPEN_NO_KNOWN_GOOD, true, false, none, DecisionAction.ALERT,
                        "no-known-good-version"),
                Arguments.of(Severity.P2, Situation.OPEN_NO_KNOWN_GOOD, true, false, twoRecentP2,
                        DecisionAction.ALERT, "no-known-good-version"),
                Arguments.of(Severity.P0, Situation.OPEN_NO_KNOWN_GOOD, true, true, none, DecisionAction.ALERT,
                        "no-known-good-version"),
                Arguments.of(Severity.P0, Situation.OPEN_NO_KNOWN_GOOD, false, false, none, DecisionAction.ALERT,
                        "no-known-good-version"),
                Arguments.of(Severity.P2, Situation.OPEN_NO_KNOWN_GOOD, true, false, none, DecisionAction.ALERT,
                        "p2-below-repeat-limit"),
                Arguments.of(Severity.P3, Situation.OPEN_NO_KNOWN_GOOD, true, false, none, DecisionAction.NOTIFY,
                        "p3-notify"),
                // a rollback already requested: every later breach attaches, whatever its severity or the policy
                Arguments.of(Severity.P0, Situation.ROLLBACK_REQUESTED, true, false, none, DecisionAction.ATTACHED,
                        "rollback-already-requested"),
                Arguments.of(Severity.P1, Situation.ROLLBACK_REQUESTED, true, false, none, DecisionAction.ATTACHED,
                        "rollback-already-requested"),
                Arguments.of(Severity.P2, Situation.ROLLBACK_REQUESTED, true, false, twoRecentP2,
                        DecisionAction.ATTACHED, "rollback-already-requested"),
                Arguments.of(Severity.P3, Situation.ROLLBACK_REQUESTED, false, true, none, DecisionAction.ATTACHED,
                        "rollback-already-requested"),
                // a finished deployment: ignored (a SUCCEEDED one too, outside its bake window)
                Arguments.of(Severity.P0, Situation.FINISHED, true, false, none, DecisionAction.IGNORED,
                        "deployment-finished"),
                Arguments.of(Severity.P1, Situation.FINISHED, true, false, none, DecisionAction.IGNORED,
                        "deployment-finished"),
                Arguments.of(Severity.P0, Situation.SUCCEEDED, true, false, none, DecisionAction.IGNORED,
                        "deployment-finished"),
                Arguments.of(Severity.P2, Situation.FINISHED, true, false, twoRecentP2, DecisionAction.IGNORED,
                        "deployment-finished"),
                Arguments.of(Severity.P3, Situation.FINISHED, false, true, none, DecisionAction.IGNORED,
                        "deployment-finished"));
    }

    @ParameterizedTest(name = "{0} {1} auto={2} hold={3} history={4} -> {5} {6}")
    @MethodSource("matrix")
    void everyCellOfTheMatrix(Severity severity, Situation situation, boolean autoRollback, boolean hold,
            List<PriorBreach> history, DecisionAction action, String rule) {
        Verdict verdict = DecisionMatrix.decide(breach("now", severity, "latency", NOW), situation, history,
                policy(autoRollback, hold));

        assertThat(verdict.action()).isEqualTo(action);
        assertThat(verdict.rule()).isEqualTo(rule);
        assertThat(verdict.reason()).contains(severity.name()).contains("error_rate 0.08 > 0.01");
        if (action == DecisionAction.ROLLBACK || action == DecisionAction.CONDITIONAL) {
            assertThat(verdict.breachEventIds()).endsWith("now");
            assertThat(verdict.detectedAt()).isEqualTo(NOW);
        } else {
            assertThat(verdict.breachEventIds()).isEmpty();
        }
    }

    @Test
    void aP0RollbackNamesTheBreachTheMeasurementAndTheRunbookRule() {
        Verdict verdict = DecisionMatrix.decide(breach("b1", Severity.P0, "error-rate", NOW), Situation.OPEN,
                List.of(), DEFAULTS);

        assertThat(verdict.action()).isEqualTo(DecisionAction.ROLLBACK);
        assertThat(verdict.rule()).isEqualTo("p0-immediate");
        assertThat(verdict.reason()).isEqualTo("P0 breach of error-rate: error_rate 0.08 > 0.01; roll back "
                + "immediately (runbook@1 p0-immediate: 002 P0 (Critical) < 5 min: Immediate rollback)");
        assertThat(verdict.breachEventIds()).containsExactly("b1");
        assertThat(verdict.detectedAt()).isEqualTo(NOW);
        assertThat(verdict.severity()).isEqualTo(Severity.P0);
        assertThat(verdict.packRule()).isEqualTo("p0-immediate");
        assertThat(verdict.seedRule()).isEqualTo("002 P0 (Critical) < 5 min: Immediate rollback");
    }

    @Test
    void aP1IsAConditionalRollbackAPersonDecidesWithinFifteenMinutesDefaultRollback() {
        Verdict verdict = DecisionMatrix.decide(breach("b1", Severity.P1, "error-rate", NOW), Situation.OPEN,
                List.of(), DEFAULTS);

        assertThat(verdict.action()).isEqualTo(DecisionAction.CONDITIONAL);
        assertThat(verdict.decideBy()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(verdict.deciders()).isEqualTo("operator");
        assertThat(verdict.defaultAction()).isEqualTo("ROLLBACK");
        assertThat(verdict.seedRule()).isEqualTo("002 P1 (High) < 15 min: Rollback if no quick fix");
        assertThat(verdict.reason()).contains("operator decides by " + NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void aRollbackWithNoKnownGoodVersionSaysSoAndNamesTheRuleThatWouldHaveFired() {
        Verdict verdict = DecisionMatrix.decide(breach("b1", Severity.P0, "error-rate", NOW),
                Situation.OPEN_NO_KNOWN_GOOD, List.of(), DEFAULTS);

        assertThat(verdict.reason()).startsWith("P0 breach of error-rate: error_rate 0.08 > 0.01; rule p0-immediate")
                .contains("no known good version to roll back to").contains("not rolled back, hold and page");
        assertThat(verdict.breachEventIds()).isEmpty();
        assertThat(verdict.detectedAt()).isNull();
    }

    @Test
    void aFailedSmokeStepRollsBackAtOnceUnlessHeld() {
        BreachFacts smoke = BreachFacts.smokeFailed("s1", 2, "GET /health returned 503", NOW);

        Verdict verdict = DecisionMatrix.decide(smoke, Situation.OPEN, List.of(), DEFAULTS);
        assertThat(verdict.action()).isEqualTo(DecisionAction.ROLLBACK);
        assertThat(verdict.rule()).isEqualTo("smoke-failed");
        assertThat(verdict.reason()).isEqualTo("P1 breach of smoke-step-2: smoke checks failed "
                + "(GET /health returned 503); roll back immediately (runbook@1 smoke-failed: 001 Immediate "
                + "Rollback If: Smoke tests fail)");
        assertThat(DecisionMatrix.decide(smoke, Situation.OPEN, List.of(), policy(true, true)).rule())
                .isEqualTo("rollback-hold");
    }

    @Test
    void theRepeatCountIncludesTheCurrentBreachAndNamesAllOfThemOldestFirst() {
        List<PriorBreach> history = List.of(prior("second", Severity.P2, "latency", Duration.ofMinutes(1)),
                prior("first", Severity.P2, "latency", Duration.ofMinutes(3)));

        Verdict verdict = DecisionMatrix.decide(breach("third", Severity.P2, "latency", NOW), Situation.OPEN, history,
                DEFAULTS);

        assertThat(verdict.action()).isEqualTo(DecisionAction.ROLLBACK);
        assertThat(verdict.breachEventIds()).containsExactly("first", "second", "third");
        assertThat(verdict.reason()).contains("occurrence 3 of 3 within 5m");
    }

    @Test
    void onlyBreachesOfTheSameCheckAndSeverityInsideTheWindowCount() {
        List<PriorBreach> history = List.of(
                prior("too-old", Severity.P2, "latency", Duration.ofMinutes(5)),
                prior("other-check", Severity.P2, "success-rate", Duration.ofMinutes(1)),
                prior("other-severity", Severity.P1, "latency", Duration.ofMinutes(1)),
                prior("in-window", Severity.P2, "latency", Duration.ofSeconds(299)),
                prior("later-than-this-one", Severity.P2, "latency", Duration.ofMinutes(-1)));

        Verdict verdict = DecisionMatrix.decide(breach("now", Severity.P2, "latency", NOW), Situation.OPEN, history,
                DEFAULTS);

        assertThat(verdict.action()).isEqualTo(DecisionAction.ALERT);
        assertThat(verdict.reason()).contains("occurrence 2 of 3 within 5m");
    }

    @Test
    void theSameBreachRedeliveredIsNotCountedTwice() {
        List<PriorBreach> history = List.of(prior("now", Severity.P2, "latency", Duration.ZERO),
                prior("a", Severity.P2, "latency", Duration.ofMinutes(1)));

        Verdict verdict = DecisionMatrix.decide(breach("now", Severity.P2, "latency", NOW), Situation.OPEN, history,
                DEFAULTS);

        assertThat(verdict.action()).isEqualTo(DecisionAction.ALERT);
    }

    @Test
    void aRepeatCountOfOneMakesAMonitoredSeverityRollBackAtOnce() {
        PolicyRules eager = new PolicyRules(1, 2, DEFAULTS.actions(), 1, Duration.ofMinutes(5), true, false,
                Duration.ofMinutes(2));

        Verdict verdict = DecisionMatrix.decide(breach("now", Severity.P2, "latency", NOW), Situation.OPEN, List.of(),
                eager);

        assertThat(verdict.action()).isEqualTo(DecisionAction.ROLLBACK);
        assertThat(verdict.rule()).isEqualTo("p2-repeated");
    }

    @Test
    void theActionsComeFromThePolicyNotFromTheSeverityAlone() {
        PolicyRules strict = new PolicyRules(1, 3, Map.of(Severity.P0, SeverityAction.ROLLBACK, Severity.P1,
                SeverityAction.ROLLBACK, Severity.P2,
                SeverityAction.ROLLBACK, Severity.P3, SeverityAction.ALERT), 3, Duration.ofMinutes(5), true, false,
                Duration.ofMinutes(2));

        assertThat(DecisionMatrix.decide(breach("x", Severity.P2, "latency", NOW), Situation.OPEN, List.of(), strict))
                .extracting(Verdict::action, Verdict::rule).containsExactly(DecisionAction.ROLLBACK, "p2-immediate");
        assertThat(DecisionMatrix.decide(breach("y", Severity.P3, "latency", NOW), Situation.OPEN, List.of(), strict))
                .extracting(Verdict::action, Verdict::rule).containsExactly(DecisionAction.ALERT, "p3-alert");
    }
}
