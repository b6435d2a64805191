package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Severity;
import dev.rollwatch.monitor.service.CheckValidator.Candidate;
import dev.rollwatch.monitor.service.CheckValidator.Problem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckValidatorTest {

    static Candidate check(String name, String provider, String metric, String query, Double min, Double max) {
        return new Candidate(name, provider, metric, query, min, max, Duration.ofSeconds(5), Duration.ofSeconds(30),
                1, 4, Severity.P1);
    }

    @Test
    void validChecksOfEveryProviderHaveNoProblem() {
        assertThat(CheckValidator.problems(List.of(
                check("error-rate", null, "error_rate", null, null, 0.01),
                check("p95", "scrape", "latency_p95", null, null, 0.5),
                check("queue", "push", "queue_size", null, null, 1000.0),
                check("errors", "prometheus", "error_rate", "sum(rate(x{service=\"{{service}}\","
                        + "version=\"{{version}}\",env=\"{{environment}}\"}[1m]))", 0.0, 0.01)))).isEmpty();
    }

    @Test
    void everyProblemIsNamedWithItsCheckAndField() {
        List<Problem> problems = CheckValidator.problems(Arrays.asList(
                check("", "push", " ", null, null, null),
                check("a", "datadog", "error_rate", null, 0.5, 0.1),
                check("b", "prometheus", "error_rate", null, null, 0.01),
                check("c", "prometheus", "error_rate", "up{pod=\"{{pod}}\"}", null, 0.01),
                check("d", "scrape", "cpu_seconds", null, null, 1000.0),
                new Candidate("e", "push", "m", null, null, 1.0, Duration.ZERO, null, 0, 0, null),
                check("a", "push", "error_rate", null, null, 0.01),
                null));

        assertThat(problems).extracting(Problem::check, Problem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, "name"), org.assertj.core.groups.Tuple.tuple(0, "metric"),
                org.assertj.core.groups.Tuple.tuple(0, "max"),
                org.assertj.core.groups.Tuple.tuple(1, "min"), org.assertj.core.groups.Tuple.tuple(1, "provider"),
                org.assertj.core.groups.Tuple.tuple(2, "query"),
                org.assertj.core.groups.Tuple.tuple(3, "query"),
                org.assertj.core.groups.Tuple.tuple(4, "metric"),
                org.assertj.core.groups.Tuple.tuple(5, "failureLimit"),
                org.assertj.core.groups.Tuple.tuple(5, "consecutiveErrorLimit"),
                org.assertj.core.groups.Tuple.tuple(5, "interval"),
                org.assertj.core.groups.Tuple.tuple(6, "name"),
                org.assertj.core.groups.Tuple.tuple(7, ""));
        assertThat(problems.get(4).message()).contains("unknown provider datadog");
        assertThat(problems.get(6).message()).contains("{{pod}}");
        assertThat(problems.get(7).message()).contains("scrape provider measures only");
        assertThat(problems.get(11).message()).contains("duplicate");
    }

    static Candidate measured(String name, String measure) {
        return new Candidate(name, "push", "error_rate", null, null, 1.5, null, null, null, null, null, measure);
    }

    @Test
    void theScrapeProviderReadsTheGaugesToo() {
        assertThat(CheckValidator.problems(List.of(check("q", "scrape", "queue_size", null, null, 1000.0),
                check("m", "scrape", "process_resident_memory_bytes", null, null, 1e9)))).isEmpty();
    }

    @Test
    void theNamesOfOutageEpisodesAndStepCriteriaAreReserved() {
        assertThat(CheckValidator.problems(List.of(check("availability", "push", "up", null, 1.0, null),
                check("x@step2", "push", "error_rate", null, null, 0.01))))
                .extracting(CheckValidator.Problem::field).containsExactly("name", "name");
        assertThat(CheckValidator.problems(List.of(check("p99", "scrape", "latency_p99", null, null, 2.0),
                check("cpu", "scrape", "cpu_utilization", null, null, 0.85)))).isEmpty();
    }

    @Test
    void anUnknownMeasureAndABaselineWithoutAStableVersionAreProblems() {
        List<Candidate> checks = List.of(measured("a", "VALUE"), measured("b", "BASELINE_RATIO"),
                measured("c", "BASELINE_DIFFERENCE"), measured("d", "GROWTH_PER_HOUR"), measured("e", "median"));

        assertThat(CheckValidator.problems(checks, "2.3.0")).extracting(Problem::check, Problem::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4, "measure"));
        assertThat(CheckValidator.problems(checks, "2.3.0").get(0).message()).contains("unknown measure median");
        List<Problem> firstDeployment = CheckValidator.problems(checks, null);
        assertThat(firstDeployment).extracting(Problem::check).containsExactly(1, 2, 4);
        assertThat(firstDeployment.get(0).message()).contains("no previousVersion");
    }
}
