package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Severity;
import dev.rollwatch.rollback.domain.DecisionMatrix.Situation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The persistence rule of the matrix: an open MONITOR episode past the policy's window. */
class PersistedBreachTest {

    private static final Instant OBSERVED = Instant.parse("2026-11-22T03:00:00Z");
    private static final Instant DECIDED = OBSERVED.plusMillis(40);
    private static final OpenBreach OPEN_P2 = new OpenBreach("b1", Severity.P2, "latency", OBSERVED, DECIDED);

    static PolicyRules policy(boolean autoRollback, boolean freeze) {
        return new PolicyRules(7, 4, PolicyRules.runbookDefaults(1, 1).actions(), 3, Duration.ofMinutes(5),
                autoRollback, freeze, Duration.ofMinutes(2));
    }

    /** Situation × auto-rollback × freeze, the window passed → what the follow-up decides (empty: nothing). */
    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of(Situation.OPEN, true, false, DecisionAction.ROLLBACK, "p2-persisted"),
                Arguments.of(Situation.OPEN, false, false, DecisionAction.ALERT, "auto-rollback-off"),
                Arguments.of(Situation.OPEN, true, true, DecisionAction.ALERT, "rollback-hold"),
                Arguments.of(Situation.OPEN, false, true, DecisionAction.ALERT, "rollback-hold"),
                Arguments.of(Situation.OPEN_NO_KNOWN_GOOD, true, false, DecisionAction.ALERT, "no-known-good-version"),
                Arguments.of(Situation.OPEN_NO_KNOWN_GOOD, false, true, DecisionAction.ALERT, "no-known-good-version"),
                Arguments.of(Situation.ROLLBACK_REQUESTED, true, false, null, null),
                Arguments.of(Situation.FINISHED, true, false, null, null));
    }

    @ParameterizedTest(name = "{0} autoRollback={1} freeze={2} -> {3} {4}")
    @MethodSource("cells")
    void anEpisodeOpenPastItsWindowIsDecidedAgain(Situation situation, boolean autoRollback, boolean freeze,
            DecisionAction action, String rule) {
        Optional<Verdict> verdict = DecisionMatrix.persisted(OPEN_P2, situation, policy(autoRollback, freeze),
                DECIDED.plus(Duration.ofMinutes(5)));

        if (action == null) {
            assertThat(verdict).isEmpty();
        } else {
            assertThat(verdict).get().extracting(Verdict::action, Verdict::rule).containsExactly(action, rule);
        }
    }

    @Test
    void theRollbackCitesTheEpisodesBreachAndItsObservation() {
        Verdict verdict = DecisionMatrix.persisted(OPEN_P2, Situation.OPEN, policy(true, false),
                DECIDED.plus(Duration.ofMinutes(6))).orElseThrow();

        assertThat(verdict.breachEventIds()).containsExactly("b1");
        assertThat(verdict.detectedAt()).isEqualTo(OBSERVED);
        assertThat(verdict.reason()).contains("P2 breach of latency").contains("not recovered within 5m");
    }

    @Test
    void beforeTheWindowHasPassedNothingIsDecided() {
        assertThat(DecisionMatrix.persisted(OPEN_P2, Situation.OPEN, policy(true, false),
                DECIDED.plus(Duration.ofMinutes(5)).minusMillis(1))).isEmpty();
    }

    @Test
    void aBreachLearntOfLateMustPersistAWholeWindowAfterItArrived() {
        // Observed 12 minutes before it reached this service: it has not been seen to persist yet.
        OpenBreach late = new OpenBreach("b2", Severity.P2, "latency", OBSERVED, OBSERVED.plus(Duration.ofMinutes(12)));

        assertThat(DecisionMatrix.persisted(late, Situation.OPEN, policy(true, false),
                OBSERVED.plus(Duration.ofMinutes(13)))).isEmpty();
        assertThat(DecisionMatrix.persisted(late, Situation.OPEN, policy(true, false),
                OBSERVED.plus(Duration.ofMinutes(17)))).isPresent();
    }

    @Test
    void aSeverityNoLongerConditionalUnderThePolicyInForceDecidesNothing() {
        PolicyRules alertOnly = new PolicyRules(1, 2, Map.of(Severity.P0, SeverityAction.ROLLBACK, Severity.P1,
                SeverityAction.ROLLBACK, Severity.P2,
                SeverityAction.ALERT, Severity.P3, SeverityAction.NOTIFY), 3, Duration.ofMinutes(5), true, false,
                Duration.ofMinutes(2));

        assertThat(DecisionMatrix.persisted(OPEN_P2, Situation.OPEN, alertOnly, DECIDED.plus(Duration.ofHours(1))))
                .isEmpty();
    }

    @Test
    void theWindowIsThePolicysRepeatWindow() {
        PolicyRules quick = new PolicyRules(1, 2, PolicyRules.runbookDefaults(1, 1).actions(), 3,
                Duration.ofSeconds(2), true, false, Duration.ofMinutes(2));

        assertThat(DecisionMatrix.persisted(OPEN_P2, Situation.OPEN, quick, DECIDED.plusSeconds(2)))
                .get().extracting(Verdict::rule).isEqualTo("p2-persisted");
        assertThat(DecisionMatrix.persisted(OPEN_P2, Situation.OPEN, quick, DECIDED.plusSeconds(1))).isEmpty();
    }

    /** Window: 5m from DECIDED. */
    private static final Instant WINDOW_END = DECIDED.plus(Duration.ofMinutes(5));

    private static OpenBreach recovered(Instant at) {
        return new OpenBreach("b1", Severity.P2, "latency", OBSERVED, DECIDED, at);
    }

    /**
     * Situation × auto-rollback × freeze × when the episode recovered (null: no recovery known) × when it is decided
     * → what the follow-up decides (empty: nothing, yet or ever).
     */
    static Stream<Arguments> recoveryCells() {
        Instant within = OBSERVED.plus(Duration.ofSeconds(90));
        Instant after = WINDOW_END.plusSeconds(30);
        Instant early = DECIDED.plusSeconds(100);
        Instant late = WINDOW_END.plus(Duration.ofMinutes(1));
        return Stream.of(
                // recovered within the window: alert only, decided at once, whatever the policy would do to a rollback
                Arguments.of(Situation.OPEN, true, false, within, early, DecisionAction.ALERT, "p2-recovered"),
                Arguments.of(Situation.OPEN, true, false, within, late, DecisionAction.ALERT, "p2-recovered"),
                Arguments.of(Situation.OPEN, false, false, within, early, DecisionAction.ALERT, "p2-recovered"),
                Arguments.of(Situation.OPEN, true, true, within, early, DecisionAction.ALERT, "p2-recovered"),
                Arguments.of(Situation.OPEN, false, true, within, late, DecisionAction.ALERT, "p2-recovered"),
                // recovered only after the window: it was open at the end of the window, so it persisted
                Arguments.of(Situation.OPEN, true, false, after, late, DecisionAction.ROLLBACK, "p2-persisted"),
                Arguments.of(Situation.OPEN, false, false, after, late, DecisionAction.ALERT, "auto-rollback-off"),
                Arguments.of(Situation.OPEN, true, true, after, late, DecisionAction.ALERT, "rollback-hold"),
                Arguments.of(Situation.OPEN, true, false, WINDOW_END, WINDOW_END, DecisionAction.ROLLBACK,
                        "p2-persisted"),
                // no recovery known: nothing before the window has passed, a rollback after it
                Arguments.of(Situation.OPEN, true, false, null, early, null, null),
                Arguments.of(Situation.OPEN, true, false, null, late, DecisionAction.ROLLBACK, "p2-persisted"),
                // no known good version: a recovery still only alerts; one open past its window is held, not rolled back
                Arguments.of(Situation.OPEN_NO_KNOWN_GOOD, true, false, within, early, DecisionAction.ALERT,
                        "p2-recovered"),
                Arguments.of(Situation.OPEN_NO_KNOWN_GOOD, true, false, null, early, null, null),
                Arguments.of(Situation.OPEN_NO_KNOWN_GOOD, true, false, null, late, DecisionAction.ALERT,
                        "no-known-good-version"),
                // a deployment already rolling back or finished: a recovery changes nothing
                Arguments.of(Situation.ROLLBACK_REQUESTED, true, false, within, early, null, null),
                Arguments.of(Situation.ROLLBACK_REQUESTED, true, false, after, late, null, null),
                Arguments.of(Situation.FINISHED, true, false, within, early, null, null),
                Arguments.of(Situation.FINISHED, true, false, within, late, null, null));
    }

    @ParameterizedTest(name = "{0} autoRollback={1} freeze={2} recoveredAt={3} now={4} -> {5} {6}")
    @MethodSource("recoveryCells")
    void aRecoveredEpisodeDoesNotPersist(Situation situation, boolean autoRollback, boolean freeze,
            Instant recoveredAt, Instant now, DecisionAction action, String rule) {
        Optional<Verdict> verdict = DecisionMatrix.persisted(recovered(recoveredAt), situation,
                policy(autoRollback, freeze), now);

        if (action == null) {
            assertThat(verdict).isEmpty();
        } else {
            assertThat(verdict).get().extracting(Verdict::action, Verdict::rule).containsExactly(action, rule);
        }
    }

    @Test
    void aRecoveredEpisodeSaysHowLongItLastedAndThatItOnlyAlerted() {
        Verdict verdict = DecisionMatrix.persisted(recovered(OBSERVED.plusSeconds(90)), Situation.OPEN,
                policy(true, false), DECIDED.plusSeconds(91)).orElseThrow();

        assertThat(verdict.reason()).contains("P2 breach of latency").contains("recovered after 90s")
                .contains("within its 5m window: alert only, no rollback");
        assertThat(verdict.breachEventIds()).isEmpty();
        assertThat(verdict.detectedAt()).isNull();
    }

    @Test
    void anEpisodeThatRecoveredAfterItsWindowRollsBackAndSaysWhenItRecovered() {
        Instant recoveredAt = WINDOW_END.plusSeconds(30);
        Verdict verdict = DecisionMatrix.persisted(recovered(recoveredAt), Situation.OPEN, policy(true, false),
                recoveredAt).orElseThrow();

        assertThat(verdict.reason()).contains("not recovered within 5m")
                .contains("recovered only at " + recoveredAt + ", after the window");
        assertThat(verdict.breachEventIds()).containsExactly("b1");
    }

    @Test
    void aRecoveryStampedBeforeTheBreachByASkewedClockLastedNothingAndStillOnlyAlerts() {
        assertThat(DecisionMatrix.persisted(recovered(OBSERVED.minusSeconds(2)), Situation.OPEN, policy(true, false),
                DECIDED)).get().extracting(Verdict::rule, v -> v.reason().contains("recovered after 0s"))
                .containsExactly("p2-recovered", true);
    }

    @Test
    void aRecoveryUnderAPolicyThatNoLongerMakesTheSeverityConditionalDecidesNothing() {
        PolicyRules alertOnly = new PolicyRules(1, 2, Map.of(Severity.P0, SeverityAction.ROLLBACK, Severity.P1,
                SeverityAction.ROLLBACK, Severity.P2,
                SeverityAction.ALERT, Severity.P3, SeverityAction.NOTIFY), 3, Duration.ofMinutes(5), true, false,
                Duration.ofMinutes(2));

        assertThat(DecisionMatrix.persisted(recovered(OBSERVED.plusSeconds(5)), Situation.OPEN, alertOnly,
                DECIDED.plusSeconds(6))).isEmpty();
    }
}
