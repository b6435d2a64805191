package dev.rollwatch.monitor.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The bake window's checkpoints, one named case per row. */
class BakeScheduleTest {

    private static final List<Duration> RUNBOOK = List.of(Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofMinutes(60));
    private static final Instant SUCCEEDED = Instant.parse("2026-01-01T12:00:00Z");

    static Stream<Arguments> schedules() {
        return Stream.of(
                arguments("the runbooks' hour: 15, 30 and 60 minutes", RUNBOOK, Duration.ofHours(1),
                        List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1))),
                arguments("a day: the runbook checkpoints, then the end", RUNBOOK, Duration.ofDays(1),
                        List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(60),
                                Duration.ofDays(1))),
                arguments("20 minutes: the checkpoints beyond are dropped", RUNBOOK, Duration.ofMinutes(20),
                        List.of(Duration.ofMinutes(15), Duration.ofMinutes(20))),
                arguments("a short test window: only its end", RUNBOOK, Duration.ofSeconds(2),
                        List.of(Duration.ofSeconds(2))),
                arguments("unsorted and repeated offsets are put in order once",
                        List.of(Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofMinutes(30)),
                        Duration.ofMinutes(45), List.of(Duration.ofMinutes(15), Duration.ofMinutes(30),
                                Duration.ofMinutes(45))),
                arguments("no window: no checkpoint", RUNBOOK, Duration.ZERO, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void theCheckpointsOfAWindow(String name, List<Duration> configured, Duration window, List<Duration> expected) {
        assertThat(BakeSchedule.checkpoints(configured, window)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> due() {
        return Stream.of(
                arguments("right after success, none is due", Duration.ZERO, 0),
                arguments("at 14:59 none is due", Duration.ofSeconds(14 * 60 + 59), 0),
                arguments("at 15:00 the first is due", Duration.ofMinutes(15), 1),
                arguments("at 45:00 two are due", Duration.ofMinutes(45), 2),
                arguments("at 1 h all three are due", Duration.ofHours(1), 3),
                arguments("long after the end, still three", Duration.ofHours(5), 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("due")
    void howManyCheckpointsAreDue(String name, Duration sinceSuccess, int expected) {
        List<Duration> checkpoints = BakeSchedule.checkpoints(RUNBOOK, Duration.ofHours(1));
        assertThat(BakeSchedule.due(checkpoints, SUCCEEDED, SUCCEEDED.plus(sinceSuccess))).isEqualTo(expected);
    }
}
