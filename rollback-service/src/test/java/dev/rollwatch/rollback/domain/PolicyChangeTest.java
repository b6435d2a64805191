package dev.rollwatch.rollback.domain;

import dev.rollwatch.events.Durations;
import dev.rollwatch.events.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyChangeTest {

    private static final Map<Severity, SeverityAction> DEFAULT_ACTIONS = PolicyRules.runbookDefaults(1, 1).actions();

    @Test
    void theRunbookDefaultsAreValid() {
        assertThat(PolicyChange.validate(DEFAULT_ACTIONS, 3, Duration.ofMinutes(5), Duration.ofMinutes(2))).isEmpty();
    }

    @Test
    void unknownSeveritiesAndActionsAreNamed() {
        List<PolicyChange.FieldError> errors = new ArrayList<>();
        Map<String, String> requested = new LinkedHashMap<>();
        requested.put("P4", "ROLLBACK");
        requested.put("P2", "PANIC");
        requested.put("P3", "notify");

        Map<Severity, SeverityAction> actions = PolicyChange.actions(requested, errors);

        assertThat(errors).extracting(PolicyChange.FieldError::field).containsExactly("actions.P4", "actions.P2");
        assertThat(errors.get(0).message()).contains("unknown severity");
        assertThat(errors.get(1).message()).contains("unknown action 'PANIC'");
        assertThat(actions).containsExactly(Map.entry(Severity.P3, SeverityAction.NOTIFY));
    }

    @Test
    void windowsAndDeadlinesMustBePositiveAndTheCountAtLeastOne() {
        assertThat(PolicyChange.validate(DEFAULT_ACTIONS, 0, Duration.ofMinutes(-5), Duration.ZERO))
                .extracting(PolicyChange.FieldError::field)
                .containsExactly("repeatCount", "repeatWindow", "rollbackDeadline");
        assertThat(PolicyChange.validate(DEFAULT_ACTIONS, 3, Duration.ofDays(2), Duration.ofMinutes(2)))
                .extracting(PolicyChange.FieldError::message).containsExactly("must be at most 24h");
    }

    @Test
    void aLessSevereLevelMayNotReactMoreAggressivelyThanAMoreSevereOne() {
        Map<Severity, SeverityAction> inverted = new EnumMap<>(Severity.class);
        inverted.put(Severity.P0, SeverityAction.ROLLBACK);
        inverted.put(Severity.P1, SeverityAction.ALERT);
        inverted.put(Severity.P2, SeverityAction.ROLLBACK);
        inverted.put(Severity.P3, SeverityAction.NOTIFY);

        List<PolicyChange.FieldError> errors = PolicyChange.validate(inverted, 3, Duration.ofMinutes(5),
                Duration.ofMinutes(2));

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("actions.P2");
            assertThat(e.message()).contains("more aggressive than P1 ALERT");
        });
    }

    @Test
    void everySeverityNeedsAnAction() {
        assertThat(PolicyChange.validate(Map.of(Severity.P1, SeverityAction.ROLLBACK), 3, Duration.ofMinutes(5),
                Duration.ofMinutes(2))).extracting(PolicyChange.FieldError::field)
                .containsExactly("actions.P0", "actions.P2", "actions.P3");
    }

    @Test
    void durationsReadTheWayPeopleWriteThem() {
        assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(Durations.parse("PT90S")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("-5m")).contains(Duration.ofMinutes(-5));
        assertThat(Durations.parse("five minutes")).isEmpty();
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    }
}
