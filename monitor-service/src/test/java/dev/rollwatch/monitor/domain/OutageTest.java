package dev.rollwatch.monitor.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static dev.rollwatch.monitor.domain.Outage.Decision.CLOSE;
import static dev.rollwatch.monitor.domain.Outage.Decision.NONE;
import static dev.rollwatch.monitor.domain.Outage.Decision.OPEN;
import static dev.rollwatch.monitor.domain.Outage.Signal.HEALTH;
import static dev.rollwatch.monitor.domain.Outage.Signal.METRICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The outage episode, one named case per row: signals reported over time → what is announced. */
class OutageTest {

    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** A report: at second {@code s}, {@code signal} answered ({@code up}) or failed. */
    record R(int s, Outage.Signal signal, boolean up) {
    }

    static Stream<Arguments> episodes() {
        return Stream.of(
                arguments("one failed read is not an outage", new R[] {new R(0, METRICS, false), new R(5, METRICS,
                        true)}, 5, new Outage.Decision[] {NONE, NONE}),
                arguments("failing for less than the window is not an outage", new R[] {new R(0, HEALTH, false),
                        new R(59, HEALTH, false)}, 59, new Outage.Decision[] {NONE, NONE}),
                arguments("failing for the whole window opens one episode", new R[] {new R(0, HEALTH, false),
                        new R(60, HEALTH, false)}, 60, new Outage.Decision[] {NONE, OPEN}),
                arguments("an open episode does not open again while the target stays down",
                        new R[] {new R(0, HEALTH, false), new R(60, HEALTH, false), new R(120, HEALTH, false)}, 120,
                        new Outage.Decision[] {NONE, OPEN, NONE}),
                arguments("the first answer closes the open episode", new R[] {new R(0, METRICS, false),
                        new R(60, METRICS, false), new R(65, METRICS, true)}, 65,
                        new Outage.Decision[] {NONE, OPEN, CLOSE}),
                arguments("the earliest failing signal counts: health since 0, metrics since 30",
                        new R[] {new R(0, HEALTH, false), new R(30, METRICS, false), new R(60, METRICS, false)}, 60,
                        new Outage.Decision[] {NONE, NONE, OPEN}),
                arguments("one signal answering does not end the outage while the other fails",
                        new R[] {new R(0, HEALTH, false), new R(0, METRICS, false), new R(60, METRICS, false),
                                new R(61, METRICS, true)}, 61, new Outage.Decision[] {NONE, NONE, OPEN, NONE}),
                arguments("a recovery inside the window starts the clock over", new R[] {new R(0, HEALTH, false),
                        new R(40, HEALTH, true), new R(50, HEALTH, false), new R(100, HEALTH, false)}, 100,
                        new Outage.Decision[] {NONE, NONE, NONE, NONE}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("episodes")
    void anOutageEpisode(String name, R[] reports, int end, Outage.Decision[] expected) {
        Outage.State s = Outage.State.UP;
        for (int i = 0; i < reports.length; i++) {
            Instant at = T0.plusSeconds(reports[i].s());
            s = Outage.report(s, reports[i].signal(), reports[i].up(), at);
            Outage.Decision d = Outage.decide(s, at, WINDOW);
            assertThat(d).as("after report %d", i).isEqualTo(expected[i]);
            if (d == OPEN) {
                s = new Outage.State(s.healthDownSince(), s.metricsDownSince(), true);
            } else if (d == CLOSE) {
                s = Outage.State.UP;
            }
        }
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                arguments("a refused connection or a timeout is down", 0, false),
                arguments("200 UP is up", 200, true),
                arguments("503 DOWN is down", 503, false),
                arguments("500 is down", 500, false),
                arguments("404: the target does not serve the endpoint, no signal", 404, null),
                arguments("401: not allowed, no signal", 401, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void howAnHttpAnswerCounts(String name, int status, Boolean up) {
        assertThat(Outage.up(status)).isEqualTo(up);
    }

    @org.junit.jupiter.api.Test
    void theSecondsDownRunFromTheEarliestFailure() {
        Outage.State s = new Outage.State(T0.plusSeconds(10), T0, true);
        assertThat(s.downSince()).isEqualTo(T0);
        assertThat(s.secondsDown(T0.plusSeconds(75))).isEqualTo(75);
        assertThat(Outage.State.UP.secondsDown(T0)).isZero();
    }
}
