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

/** The persistence rule of the matrix: an open CONDITIONAL episode past the policy's window. */
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
                Arguments.of(Situation.OPEN, true, true, DecisionAction.ALERT, "freeze"),
                Arguments.of(Situation.OPEN, false, true, DecisionAction.ALERT, "freeze"),
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
        PolicyRules alertOnly = new PolicyRules(1, 2, Map.of(Severity.P1, SeverityAction.ROLLBACK, Severity.P2,
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
}
