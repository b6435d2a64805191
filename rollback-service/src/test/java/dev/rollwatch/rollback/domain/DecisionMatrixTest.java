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

    static PolicyRules policy(boolean autoRollback, boolean freeze) {
        return new PolicyRules(7, 4, DEFAULTS.actions(), 3, Duration.ofMinutes(5), autoRollback, freeze,
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
                // severity on an open deployment with the runbook defaults
                Arguments.of(Severity.P1, Situation.OPEN, true, false, none, DecisionAction.ROLLBACK, "p1-immediate"),
                Arguments.of(Severity.P2, Situation.OPEN, true, false, none, DecisionAction.ALERT,
                        "p2-below-repeat-limit"),
                Arguments.of(Severity.P2, Situation.OPEN, true, false, twoRecentP2, DecisionAction.ROLLBACK,
                        "p2-repeated"),
                Arguments.of(Severity.P3, Situation.OPEN, true, false, none, DecisionAction.NOTIFY, "p3-notify"),
                Arguments.of(Severity.P3, Situation.OPEN, true, false, twoRecentP2, DecisionAction.NOTIFY,
                        "p3-notify"),
                // auto-rollback off: what would roll back asks for approval; the rest is unchanged
                Arguments.of(Severity.P1, Situation.OPEN, false, false, none, DecisionAction.ALERT,
                        "auto-rollback-off"),
                Arguments.of(Severity.P2, Situation.OPEN, false, false, twoRecentP2, DecisionAction.ALERT,
                        "auto-rollback-off"),
                Arguments.of(Severity.P2, Situation.OPEN, false, false, none, DecisionAction.ALERT,
                        "p2-below-repeat-limit"),
                Arguments.of(Severity.P3, Situation.OPEN, false, false, none, DecisionAction.NOTIFY, "p3-notify"),
                // freeze: hold and page, and it wins over auto-rollback off
                Arguments.of(Severity.P1, Situation.OPEN, true, true, none, DecisionAction.ALERT, "freeze"),
                Arguments.of(Severity.P1, Situation.OPEN, false, true, none, DecisionAction.ALERT, "freeze"),
                Arguments.of(Severity.P2, Situation.OPEN, true, true, twoRecentP2, DecisionAction.ALERT, "freeze"),
                Arguments.of(Severity.P3, Situation.OPEN, true, true, none, DecisionAction.NOTIFY, "p3-notify"),
                // no known good version (first deployment of the service there): what would roll back is held and
                // paged, before freeze and auto-rollback off (neither would give it a version to go to); the rest
                // is unchanged
                Arguments.of(Severity.P1, Situation.OPEN_NO_KNOWN_GOOD, true, false, none, DecisionAction.ALERT,
                        "no-known-good-version"),
                Arguments.of(Severity.P2, Situation.OPEN_NO_KNOWN_GOOD, true, false, twoRecentP2,
                        DecisionAction.ALERT, "no-known-good-version"),
                Arguments.of(Severity.P1, Situation.OPEN_NO_KNOWN_GOOD, true, true, none, DecisionAction.ALERT,
                        "no-known-good-version"),
                Arguments.of(Severity.P1, Situation.OPEN_NO_KNOWN_GOOD, false, false, none, DecisionAction.ALERT,
                        "no-known-good-version"),
                Arguments.of(Severity.P2, Situation.OPEN_NO_KNOWN_GOOD, true, false, none, DecisionAction.ALERT,
                        "p2-below-repeat-limit"),
                Arguments.of(Severity.P3, Situation.OPEN_NO_KNOWN_GOOD, true, false, none, DecisionAction.NOTIFY,
                        "p3-notify"),
                // a rollback already requested: every later breach attaches, whatever its severity or the policy
                Arguments.of(Severity.P1, Situation.ROLLBACK_REQUESTED, true, false, none, DecisionAction.ATTACHED,
                        "rollback-already-requested"),
                Arguments.of(Severity.P2, Situation.ROLLBACK_REQUESTED, true, false, twoRecentP2,
                        DecisionAction.ATTACHED, "rollback-already-requested"),
                Arguments.of(Severity.P3, Situation.ROLLBACK_REQUESTED, false, true, none, DecisionAction.ATTACHED,
                        "rollback-already-requested"),
                // a finished deployment: ignored
                Arguments.of(Severity.P1, Situation.FINISHED, true, false, none, DecisionAction.IGNORED,
                        "deployment-finished"),
                Arguments.of(Severity.P2, Situation.FINISHED, true, false, twoRecentP2, DecisionAction.IGNORED,
                        "deployment-finished"),
                Arguments.of(Severity.P3, Situation.FINISHED, false, true, none, DecisionAction.IGNORED,
                        "deployment-finished"));
    }

    @ParameterizedTest(name = "{0} {1} auto={2} freeze={3} history={4} -> {5} {6}")
    @MethodSource("matrix")
    void everyCellOfTheMatrix(Severity severity, Situation situation, boolean autoRollback, boolean freeze,
            List<PriorBreach> history, DecisionAction action, String rule) {
        Verdict verdict = DecisionMatrix.decide(breach("now", severity, "latency", NOW), situation, history,
                policy(autoRollback, freeze));

        assertThat(verdict.action()).isEqualTo(action);
        assertThat(verdict.rule()).isEqualTo(rule);
        assertThat(verdict.reason()).contains(severity.name()).contains("error_rate 0.08 > 0.01");
        if (action == DecisionAction.ROLLBACK) {
            assertThat(verdict.breachEventIds()).endsWith("now");
            assertThat(verdict.detectedAt()).isEqualTo(NOW);
        } else {
            assertThat(verdict.breachEventIds()).isEmpty();
        }
    }

    @Test
    void aP1RollbackNamesTheBreachAndTheMeasurement() {
        Verdict verdict = DecisionMatrix.decide(breach("b1", Severity.P1, "error-rate", NOW), Situation.OPEN,
                List.of(), DEFAULTS);

        assertThat(verdict).usingRecursiveComparison().isEqualTo(new Verdict(DecisionAction.ROLLBACK,
                "p1-immediate", "P1 breach of error-rate: error_rate 0.08 > 0.01; P1 rolls back immediately",
                List.of("b1"), NOW));
    }

    @Test
    void aRollbackWithNoKnownGoodVersionSaysSoAndNamesTheRuleThatWouldHaveFired() {
        Verdict verdict = DecisionMatrix.decide(breach("b1", Severity.P1, "error-rate", NOW),
                Situation.OPEN_NO_KNOWN_GOOD, List.of(), DEFAULTS);

        assertThat(verdict.reason()).startsWith("P1 breach of error-rate: error_rate 0.08 > 0.01; rule p1-immediate")
                .contains("no known good version to roll back to").contains("not rolled back, hold and page");
        assertThat(verdict.breachEventIds()).isEmpty();
        assertThat(verdict.detectedAt()).isNull();
    }

    @Test
    void aFailedSmokeStepIsAP1BreachThatRollsBackAtOnceUnlessHeld() {
        BreachFacts smoke = BreachFacts.smokeFailed("s1", 2, "GET /health returned 503", NOW);

        Verdict verdict = DecisionMatrix.decide(smoke, Situation.OPEN, List.of(), DEFAULTS);
        assertThat(verdict.action()).isEqualTo(DecisionAction.ROLLBACK);
        assertThat(verdict.reason()).isEqualTo("P1 breach of smoke-step-2: smoke checks failed "
                + "(GET /health returned 503); P1 rolls back immediately");
        assertThat(DecisionMatrix.decide(smoke, Situation.OPEN, List.of(), policy(true, true)).rule())
                .isEqualTo("freeze");
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
    void aRepeatCountOfOneMakesAConditionalSeverityRollBackAtOnce() {
        PolicyRules eager = new PolicyRules(1, 2, DEFAULTS.actions(), 1, Duration.ofMinutes(5), true, false,
                Duration.ofMinutes(2));

        Verdict verdict = DecisionMatrix.decide(breach("now", Severity.P2, "latency", NOW), Situation.OPEN, List.of(),
                eager);

        assertThat(verdict.action()).isEqualTo(DecisionAction.ROLLBACK);
        assertThat(verdict.rule()).isEqualTo("p2-repeated");
    }

    @Test
    void theActionsComeFromThePolicyNotFromTheSeverityAlone() {
        PolicyRules strict = new PolicyRules(1, 3, Map.of(Severity.P1, SeverityAction.ROLLBACK, Severity.P2,
                SeverityAction.ROLLBACK, Severity.P3, SeverityAction.ALERT), 3, Duration.ofMinutes(5), true, false,
                Duration.ofMinutes(2));

        assertThat(DecisionMatrix.decide(breach("x", Severity.P2, "latency", NOW), Situation.OPEN, List.of(), strict))
                .extracting(Verdict::action, Verdict::rule).containsExactly(DecisionAction.ROLLBACK, "p2-immediate");
        assertThat(DecisionMatrix.decide(breach("y", Severity.P3, "latency", NOW), Situation.OPEN, List.of(), strict))
                .extracting(Verdict::action, Verdict::rule).containsExactly(DecisionAction.ALERT, "p3-alert");
    }
}
