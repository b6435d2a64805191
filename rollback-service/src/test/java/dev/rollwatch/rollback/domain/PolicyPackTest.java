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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook policy pack (runbook@1), rule by rule: every entry of {@code policy-packs/runbook-v1.yaml} and every
 * cell the issue names (P0, conditional, sustained, growing, count-in-window, after-T, first-hour, analysis-error,
 * bake phase, rollback hold, auto-rollback off, no known good version) is a named case of the pure decision function.
 */
class PolicyPackTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    private static final PolicyRules DEFAULTS = PolicyRules.runbookDefaults(1, 1);
    private static final PolicyPack PACK = PolicyPack.runbook();

    /** A breach of kind threshold during the rollout, observed at NOW, 10 minutes into the deployment. */
    record B(String id, Severity severity, String check, String metric, double value, double threshold,
            Operator operator, String kind, String phase, Double trend, Duration sinceStart) {

        static B of(Severity severity, String metric, double value, double threshold) {
            return new B("now", severity, metric + "-check", metric, value, threshold,
                    metric.equals("success_rate") ? Operator.LT : Operator.GT, null, null, null,
                    Duration.ofMinutes(10));
        }

        B kind(String k) {
            return new B(id, severity, check, metric, value, threshold, operator, k, phase, trend, sinceStart);
        }

        B phase(String p) {
            return new B(id, severity, check, metric, value, threshold, operator, kind, p, trend, sinceStart);
        }

        B trend(Double t) {
            return new B(id, severity, check, metric, value, threshold, operator, kind, phase, t, sinceStart);
        }

        B since(Duration d) {
            return new B(id, severity, check, metric, value, threshold, operator, kind, phase, trend, d);
        }

        BreachFacts facts() {
            return new BreachFacts(id, severity, check, metric, List.of(value), threshold, operator, 3, 3, NOW, null,
                    kind, phase, trend, NOW.minus(sinceStart), NOW.minus(sinceStart));
        }

        @Override
        public String toString() {
            return severity + " " + metric + " " + value + " (threshold " + threshold + ")";
        }
    }

    static BreachFacts outage(Severity severity, double unmeasurableSeconds) {
        return new BreachFacts("now", severity, "error-rate", "error_rate", List.of(unmeasurableSeconds), 300,
                Operator.GT, 1, 1, NOW, null, BreachFacts.KIND_UNAVAILABLE, null, null, null, NOW.minusSeconds(900));
    }

    static List<PriorBreach> priors(Severity severity, String check, Duration... before) {
        List<PriorBreach> out = new ArrayList<>();
        for (int i = 0; i < before.length; i++) {
            out.add(new PriorBreach("p" + i, severity, check, NOW.minus(before[i])));
        }
        return out;
    }

    /** Pack rule → the breach it decides → action, rule slug and the pack entry. */
    static Stream<Arguments> rules() {
        List<PriorBreach> none = List.of();
        return Stream.of(
                Arguments.of("smoke-failed: a failed smoke step rolls back at once",
                        BreachFacts.smokeFailed("now", 1, "503", NOW), none, DecisionAction.ROLLBACK, "smoke-failed",
                        Severity.P1),
                Arguments.of("criteria-failed: a phase's own criterion failed rolls back at once",
                        B.of(Severity.P2, "error_rate", 0.007, 0.005).kind(BreachFacts.KIND_CRITERIA).facts(), none,
                        DecisionAction.ROLLBACK, "criteria-failed", Severity.P2),
                Arguments.of("outage: down for the whole 5 minutes rolls back at once, at P0",
                        outage(Severity.P1, 300), none, DecisionAction.ROLLBACK, "outage", Severity.P0),
                Arguments.of("outage: down for 1 minute only alerts (P0, page) until sustained 5 minutes",
                        outage(Severity.P1, 60), none, DecisionAction.ALERT, "outage", Severity.P0),
                Arguments.of("p0-immediate: any P0 rolls back at once",
                        B.of(Severity.P0, "latency_p95", 4, 3).facts(), none, DecisionAction.ROLLBACK,
                        "p0-immediate", Severity.P0),
                Arguments.of("critical-errors-first-hour: 11 critical errors 10 minutes in roll back at once",
                        B.of(Severity.P1, "critical_errors", 11, 10).facts(), none, DecisionAction.ROLLBACK,
                        "critical-errors-first-hour", Severity.P1),
                Arguments.of("critical-errors-first-hour: after the first hour it is the P1 row (conditional)",
                        B.of(Severity.P1, "critical_errors", 11, 10).since(Duration.ofMinutes(61)).facts(), none,
                        DecisionAction.CONDITIONAL, "p1-conditional", Severity.P1),
                Arguments.of("error-rate-sustained: the 5 % check's breach alerts until sustained 2 minutes",
                        B.of(Severity.P1, "error_rate", 0.08, 0.05).facts(), none, DecisionAction.ALERT,
                        "error-rate-sustained", Severity.P1),
                Arguments.of("error-rate-after-first-hour: 2 % errors after an hour are conditional",
                        B.of(Severity.P1, "error_rate", 0.02, 0.01).since(Duration.ofMinutes(70)).facts(), none,
                        DecisionAction.CONDITIONAL, "error-rate-after-first-hour", Severity.P1),
                Arguments.of("error-rate-after-first-hour: 2 % errors in the first hour fall to the P1 row",
                        B.of(Severity.P1, "error_rate", 0.02, 0.01).facts(), none, DecisionAction.CONDITIONAL,
                        "p1-conditional", Severity.P1),
                Arguments.of("queue-growing: queue 1500 and growing is conditional",
                        B.of(Severity.P2, "queue_size", 1500, 1000).trend(120.0).facts(), none,
                        DecisionAction.CONDITIONAL, "queue-growing", Severity.P2),
                Arguments.of("queue-growing: queue 1500 but shrinking is the P2 row (monitor)",
                        B.of(Severity.P2, "queue_size", 1500, 1000).trend(-50.0).facts(), none,
                        DecisionAction.ALERT, "p2-below-repeat-limit", Severity.P2),
                Arguments.of("success-rate-low: success rate 93 % is conditional (runbook: conditional)",
                        B.of(Severity.P1, "success_rate", 0.93, 0.95).facts(), none, DecisionAction.CONDITIONAL,
                        "success-rate-low", Severity.P1),
                Arguments.of("multiple-p1: a second P1 of another check within the hour is conditional",
                        B.of(Severity.P1, "latency_p95", 4, 3).facts(),
                        priors(Severity.P1, "cpu", Duration.ofMinutes(20)), DecisionAction.CONDITIONAL,
                        "multiple-p1", Severity.P1),
                Arguments.of("multiple-p1: a P1 two hours ago does not count",
                        B.of(Severity.P1, "latency_p95", 4, 3).facts(),
                        priors(Severity.P1, "cpu", Duration.ofHours(2)), DecisionAction.CONDITIONAL,
                        "p1-conditional", Severity.P1),
                Arguments.of("analysis-error: an analysis that could not measure is conditional, never silent",
                        BreachFacts.analysisError("now", 2, "connection refused", NOW), none,
                        DecisionAction.CONDITIONAL, "analysis-error", Severity.P1),
                Arguments.of("p1-conditional: a P1 is a conditional rollback",
                        B.of(Severity.P1, "latency_p95", 4, 3).facts(), none, DecisionAction.CONDITIONAL,
                        "p1-conditional", Severity.P1),
                Arguments.of("p2-monitor: a first P2 alerts (monitor)",
                        B.of(Severity.P2, "latency_p95", 1.5, 1).facts(), none, DecisionAction.ALERT,
                        "p2-below-repeat-limit", Severity.P2),
                Arguments.of("p2-monitor: a third P2 of the check within 5 minutes rolls back (escalated)",
                        B.of(Severity.P2, "latency_p95", 1.5, 1).facts(), priors(Severity.P2, "latency_p95-check",
                                Duration.ofMinutes(1), Duration.ofMinutes(3)), DecisionAction.ROLLBACK,
                        "p2-repeated", Severity.P2),
                Arguments.of("p3-notify: a P3 notifies (fix forward)",
                        B.of(Severity.P3, "error_rate", 0.006, 0.005).facts(), none, DecisionAction.NOTIFY,
                        "p3-notify", Severity.P3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void everyRuleOfThePack(String name, BreachFacts breach, List<PriorBreach> history, DecisionAction action,
            String rule, Severity severity) {
        Verdict verdict = DecisionMatrix.decide(breach, Situation.OPEN, history, DEFAULTS, PACK, NOW);

        assertThat(verdict.action()).as(verdict.reason()).isEqualTo(action);
        assertThat(verdict.rule()).isEqualTo(rule);
        assertThat(verdict.severity()).isEqualTo(severity);
        assertThat(verdict.packRule()).isNotNull();
        assertThat(PACK.rule(verdict.packRule())).get().extracting(PolicyPack.Rule::seed)
                .isEqualTo(verdict.seedRule());
    }

    @Test
    void thePackIsRunbookVersionOneAndEveryRuleCitesItsRunbook() {
        assertThat(PACK.ref()).isEqualTo("runbook@1");
        assertThat(PACK.rules()).extracting(PolicyPack.Rule::id).containsExactly("smoke-failed", "criteria-failed",
                "outage", "p0-immediate", "critical-errors-first-hour", "error-rate-sustained",
                "error-rate-after-first-hour", "queue-growing", "success-rate-low", "multiple-p1", "analysis-error",
                "p1-conditional", "p2-monitor", "p3-notify");
        assertThat(PACK.rules()).allSatisfy(r -> assertThat(r.seed()).matches("^00[0-4] .*"));
    }

    @Test
    void aRuleNotSustainedYetNamesWhenItRollsBack() {
        Verdict verdict = DecisionMatrix.decide(outage(Severity.P1, 60), Situation.OPEN, List.of(), DEFAULTS, PACK,
                NOW);

        assertThat(verdict.followUpAt()).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
        assertThat(verdict.reason()).contains("rolls back once sustained for 5m")
                .contains("roll back at " + NOW.plus(Duration.ofMinutes(4)));
    }

    @Test
    void aSustainedRuleRollsBackAtItsTimeIfTheEpisodeIsStillOpenAndAlertsIfItRecovered() {
        OpenBreach open = new OpenBreach("b", Severity.P1, "error-rate-critical", NOW, NOW);
        Instant at = NOW.plus(Duration.ofMinutes(2));

        assertThat(DecisionMatrix.sustained(open, "error-rate-sustained", at, Situation.OPEN, DEFAULTS,
                at.minusSeconds(1))).isEmpty();
        assertThat(DecisionMatrix.sustained(open, "error-rate-sustained", at, Situation.OPEN, DEFAULTS, at)).get()
                .extracting(Verdict::action, Verdict::rule)
                .containsExactly(DecisionAction.ROLLBACK, "error-rate-sustained");
        OpenBreach recovered = new OpenBreach("b", Severity.P1, "error-rate-critical", NOW, NOW,
                NOW.plusSeconds(30));
        assertThat(DecisionMatrix.sustained(recovered, "error-rate-sustained", at, Situation.OPEN, DEFAULTS,
                NOW.plusSeconds(31))).get().extracting(Verdict::action, Verdict::rule)
                .containsExactly(DecisionAction.ALERT, "error-rate-sustained-recovered");
        assertThat(DecisionMatrix.sustained(open, "error-rate-sustained", at, Situation.OPEN,
                DecisionMatrixTest.policy(true, true), at)).get().extracting(Verdict::rule)
                .isEqualTo("rollback-hold");
        assertThat(DecisionMatrix.sustained(open, "error-rate-sustained", at, Situation.FINISHED, DEFAULTS, at))
                .isEmpty();
    }

    @Test
    void aPolicyOverridesARulesDurationsByItsId() {
        PolicyRules shortWindows = DEFAULTS.withOverrides(Map.of(
                "error-rate-sustained", new PolicyRules.RuleOverride(Duration.ofSeconds(10), null, null),
                "p1-conditional", new PolicyRules.RuleOverride(null, Duration.ofSeconds(20), null),
                "outage", new PolicyRules.RuleOverride(Duration.ofSeconds(15), null, null)));

        assertThat(DecisionMatrix.decide(B.of(Severity.P1, "error_rate", 0.08, 0.05).facts(), Situation.OPEN,
                List.of(), shortWindows, PACK, NOW).followUpAt()).isEqualTo(NOW.plusSeconds(10));
        assertThat(DecisionMatrix.decide(B.of(Severity.P1, "latency_p95", 4, 3).facts(), Situation.OPEN, List.of(),
                shortWindows, PACK, NOW).decideBy()).isEqualTo(NOW.plusSeconds(20));
        assertThat(DecisionMatrix.decide(outage(Severity.P1, 20), Situation.OPEN, List.of(), shortWindows, PACK, NOW)
                .action()).isEqualTo(DecisionAction.ROLLBACK);
    }

    @Test
    void theAnalysisErrorRuleGivesAPersonTheOutageWindowAndRollsBackByDefault() {
        Verdict verdict = DecisionMatrix.decide(BreachFacts.analysisError("e", 2, null, NOW), Situation.OPEN,
                List.of(), DEFAULTS, PACK, NOW);

        assertThat(verdict.decideBy()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(verdict.defaultAction()).isEqualTo("ROLLBACK");
    }

    @Test
    void theConditionalDefaultIsThePolicysAndHoldIsRecorded() {
        Verdict hold = DecisionMatrix.decide(B.of(Severity.P1, "latency_p95", 4, 3).facts(), Situation.OPEN,
                List.of(), DEFAULTS.withConditionalDefault("HOLD"), PACK, NOW);
        assertThat(hold.defaultAction()).isEqualTo("HOLD");

        Instant decideBy = NOW.plus(Duration.ofMinutes(15));
        assertThat(DecisionMatrix.conditionalDefault("c", "ROLLBACK", decideBy, Severity.P1, "b", NOW,
                Situation.OPEN, DEFAULTS, decideBy.minusSeconds(1))).isEmpty();
        assertThat(DecisionMatrix.conditionalDefault("c", "ROLLBACK", decideBy, Severity.P1, "b", NOW,
                Situation.OPEN, DEFAULTS, decideBy)).get().extracting(Verdict::action, Verdict::rule)
                .containsExactly(DecisionAction.ROLLBACK, "conditional-default");
        assertThat(DecisionMatrix.conditionalDefault("c", "HOLD", decideBy, Severity.P1, "b", NOW,
                Situation.OPEN, DEFAULTS, decideBy)).get().extracting(Verdict::action, Verdict::rule)
                .containsExactly(DecisionAction.HOLD, "conditional-default");
        assertThat(DecisionMatrix.conditionalDefault("c", "ROLLBACK", decideBy, Severity.P1, "b", NOW,
                Situation.OPEN, DecisionMatrixTest.policy(true, true), decideBy)).get().extracting(Verdict::rule)
                .isEqualTo("rollback-hold");
        assertThat(DecisionMatrix.conditionalDefault("c", "ROLLBACK", decideBy, Severity.P1, "b", NOW,
                Situation.ROLLBACK_REQUESTED, DEFAULTS, decideBy)).isEmpty();
    }

    /** The bake window: a SUCCEEDED deployment's breach inside it is decided like any other; outside, ignored. */
    static Stream<Arguments> bake() {
        return Stream.of(
                Arguments.of("bake, SUCCEEDED: a P0 rolls back the succeeded deployment", Situation.SUCCEEDED,
                        BreachFacts.PHASE_BAKE, Severity.P0, DecisionAction.ROLLBACK, "p0-immediate"),
                Arguments.of("bake, SUCCEEDED: a P1 is conditional", Situation.SUCCEEDED, BreachFacts.PHASE_BAKE,
                        Severity.P1, DecisionAction.CONDITIONAL, "p1-conditional"),
                Arguments.of("bake, SUCCEEDED, nothing before it: held and paged", Situation.SUCCEEDED_NO_KNOWN_GOOD,
                        BreachFacts.PHASE_BAKE, Severity.P0, DecisionAction.ALERT, "no-known-good-version"),
                Arguments.of("rollout phase, SUCCEEDED (after the bake window): ignored", Situation.SUCCEEDED,
                        BreachFacts.PHASE_ROLLOUT, Severity.P0, DecisionAction.IGNORED, "deployment-finished"),
                Arguments.of("bake phase, deployment FAILED: ignored", Situation.FINISHED, BreachFacts.PHASE_BAKE,
                        Severity.P0, DecisionAction.IGNORED, "deployment-finished"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bake")
    void theBakeWindow(String name, Situation situation, String phase, Severity severity, DecisionAction action,
            String rule) {
        Verdict verdict = DecisionMatrix.decide(B.of(severity, "latency_p95", 4, 3).phase(phase).facts(), situation,
                List.of(), DEFAULTS, PACK, NOW);

        assertThat(verdict.action()).isEqualTo(action);
        assertThat(verdict.rule()).isEqualTo(rule);
    }

    @Test
    void anOutageThatCannotRollBackIsHeldAndPaged() {
        assertThat(DecisionMatrix.decide(outage(Severity.P1, 300), Situation.OPEN, List.of(),
                DecisionMatrixTest.policy(false, false), PACK, NOW).rule()).isEqualTo("auto-rollback-off");
        assertThat(DecisionMatrix.decide(outage(Severity.P1, 300), Situation.OPEN_NO_KNOWN_GOOD, List.of(), DEFAULTS,
                PACK, NOW).rule()).isEqualTo("no-known-good-version");
        assertThat(DecisionMatrix.decide(outage(Severity.P1, 300), Situation.OPEN, List.of(),
                DecisionMatrixTest.policy(true, true), PACK, NOW)).extracting(Verdict::rule, Verdict::severity)
                .containsExactly("rollback-hold", Severity.P0);
    }
}
