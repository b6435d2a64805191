package dev.rollwatch.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The rules the records of issue 15 (ADR 0003) enforce themselves: the runbooks' response targets, what a CONDITIONAL
 * decision must say, where step criteria may stand, and that every addition is optional for an older producer.
 */
class RunbookContractTest {

    private static final Instant DECIDED = Instant.parse("2026-03-09T09:10:12.893Z");

    // --- Severity: runbook 002's matrix -----------------------------------------------------------------------

    static Stream<Arguments> responseTargets() {
        return Stream.of(
                arguments(named("P0 critical: under 5 minutes", Severity.P0), Duration.ofMinutes(5)),
                arguments(named("P1 high: under 15 minutes", Severity.P1), Duration.ofMinutes(15)),
                arguments(named("P2 medium: under 30 minutes", Severity.P2), Duration.ofMinutes(30)),
                arguments(named("P3 low: fixed in the next deployment, no target", Severity.P3), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseTargets")
    void everySeverityHasTheRunbooksResponseTarget(Severity severity, Duration target) {
        assertThat(severity.responseTarget()).isEqualTo(target);
    }

    @Test
    void severitiesAreOrderedMostUrgentFirst() {
        assertThat(Severity.values()).containsExactly(Severity.P0, Severity.P1, Severity.P2, Severity.P3);
        assertThat(Severity.P0.moreUrgentThan(Severity.P1)).isTrue();
        assertThat(Severity.P1.moreUrgentThan(Severity.P0)).isFalse();
        assertThat(Severity.P2.moreUrgentThan(Severity.P2)).isFalse();
        assertThat(Severity.P3.moreUrgentThan(null)).as("anything beats no severity").isTrue();
    }

    @Test
    void aP0BreachIsAValidEventOnTheWire() {
        byte[] bytes = GoldenFixtures.all().stream()
                .filter(f -> f.path().endsWith("dev.rollwatch.threshold.breached.v1--unavailable.json"))
                .findFirst().orElseThrow().bytes();

        ThresholdBreached breach = EventCodec.decode(bytes).as(ThresholdBreached.class).data();

        assertThat(breach.severity()).isEqualTo(Severity.P0);
        assertThat(breach.kindOrDefault()).isEqualTo(ThresholdBreached.KIND_UNAVAILABLE);
    }

    // --- RollbackDecided: CONDITIONAL names its deadline and its default ------------------------------------

    private static RollbackDecided decided(String action, Instant decideBy, String defaultAction) {
        return new RollbackDecided("accounts", "production", "c7e12f51-0b4b-4369-8897-1402b2b03c72", action,
                "error-rate-1-5-after-1h", "error rate 2.3 % an hour in", Severity.P1, "error-rate", 1L, 2,
                "94b6856d-19ad-4b66-80a3-a1df9b409f76", null, DECIDED.plus(Duration.ofMinutes(15)), decideBy,
                "operator", defaultAction, "runbook@1", "001 conditional: error rate 1-5 % after 1 hour");
    }

    static Stream<Arguments> decisions() {
        Instant by = DECIDED.plus(Duration.ofMinutes(15));
        return Stream.of(
                arguments(named("CONDITIONAL with decideBy and defaultAction",
                        (Supplier<RollbackDecided>) () -> decided("CONDITIONAL", by, "ROLLBACK")), true),
                arguments(named("CONDITIONAL defaulting to HOLD",
                        (Supplier<RollbackDecided>) () -> decided("CONDITIONAL", by, "HOLD")), true),
                arguments(named("CONDITIONAL without decideBy",
                        (Supplier<RollbackDecided>) () -> decided("CONDITIONAL", null, "ROLLBACK")), false),
                arguments(named("CONDITIONAL without defaultAction",
                        (Supplier<RollbackDecided>) () -> decided("CONDITIONAL", by, null)), false),
                arguments(named("CONDITIONAL with neither",
                        (Supplier<RollbackDecided>) () -> decided("CONDITIONAL", null, null)), false),
                arguments(named("ALERT needs no conditional terms",
                        (Supplier<RollbackDecided>) () -> decided("ALERT", null, null)), true),
                arguments(named("HOLD resolving a conditional needs no conditional terms",
                        (Supplier<RollbackDecided>) () -> decided("HOLD", null, null)), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void aConditionalDecisionNeedsItsDeadlineAndItsDefault(Supplier<RollbackDecided> decision, boolean valid) {
        if (valid) {
            assertThatCode(decision::get).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(decision::get).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CONDITIONAL").hasMessageContaining("decideBy");
        }
    }

    @Test
    void aConditionalDecisionWithoutItsDeadlineIsRefusedOnTheWire() {
        var event = GoldenFixtures.all().stream()
                .filter(f -> f.path().endsWith("dev.rollwatch.rollback.decided.v1--conditional.json"))
                .findFirst().orElseThrow().tree();
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("data")).remove("decideBy");

        assertThatThrownBy(() -> EventCodec.decode(event.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("decideBy");
    }

    // --- StepSpec: criteria belong to ANALYSIS steps ------------------------------------------------------------

    private static final List<CheckSpec> CANARY_CRITERION = List.of(new CheckSpec("canary-error-rate", "scrape",
            "error_rate", null, null, 0.005, Duration.ofSeconds(5), Duration.ofMinutes(1), 3, 3, Severity.P1));

    static Stream<Arguments> stepsWithCriteria() {
        return Stream.of(
                arguments(named("ANALYSIS", StepKind.ANALYSIS), Duration.ofMinutes(10), null, null, true),
                arguments(named("SET_WEIGHT", StepKind.SET_WEIGHT), null, 5, null, false),
                arguments(named("PAUSE", StepKind.PAUSE), Duration.ofMinutes(10), null, null, false),
                arguments(named("SMOKE", StepKind.SMOKE), null, null,
                        List.of(new SmokeCheck("http://127.0.0.1:8090/health", "GET", 200, null, null, null)), false));
    }

    @ParameterizedTest(name = "criteria on {0}")
    @MethodSource("stepsWithCriteria")
    void onlyAnAnalysisStepHasCriteria(StepKind kind, Duration duration, Integer weight, List<SmokeCheck> checks,
            boolean valid) {
        Supplier<StepSpec> step = () -> new StepSpec(kind, weight, duration, checks, CANARY_CRITERION);
        if (valid) {
            assertThat(step.get().criteria()).isEqualTo(CANARY_CRITERION);
        } else {
            assertThatThrownBy(step::get).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("only an analysis step has criteria, not " + kind);
        }
    }

    @Test
    void emptyCriteriaAreAbsentOnAnyStep() {
        assertThat(new StepSpec(StepKind.PAUSE, null, Duration.ofMinutes(1), null, List.of()).criteria()).isNull();
        assertThat(StepSpec.analysis(Duration.ofMinutes(2), List.of()).criteria()).isNull();
        assertThat(StepSpec.analysis(Duration.ofMinutes(2)).criteria()).isNull();
    }

    // --- RollbackVerified: two outcomes only -------------------------------------------------------------------

    static Stream<Arguments> verificationOutcomes() {
        return Stream.of(
                arguments(named("VERIFIED", RollbackVerified.VERIFIED), true),
                arguments(named("UNVERIFIED", RollbackVerified.UNVERIFIED), true),
                arguments(named("SUCCEEDED is a rollback outcome, not a verification's", "SUCCEEDED"), false),
                arguments(named("lower case", "verified"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verificationOutcomes")
    void aVerificationIsVerifiedOrUnverified(String outcome, boolean valid) {
        Supplier<RollbackVerified> verified = () -> new RollbackVerified("checkout", "production", "2.3.1", outcome,
                Duration.ofMinutes(30), DECIDED, DECIDED.plus(Duration.ofMinutes(30)), null, null, null);
        if (valid) {
            assertThat(verified.get().checks()).isEmpty();
        } else {
            assertThatThrownBy(verified::get).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("VERIFIED or UNVERIFIED");
        }
    }

    // --- absent means the old behaviour ----------------------------------------------------------------------

    @Test
    void aBreachWithoutKindOrPhaseIsAThresholdBreachDuringTheRollout() {
        ThresholdBreached old = EventCodec.decode(GoldenFixtures.primary(EventType.THRESHOLD_BREACHED).bytes())
                .as(ThresholdBreached.class).data();

        assertThat(old.kind()).isNull();
        assertThat(old.phase()).isNull();
        assertThat(old.kindOrDefault()).isEqualTo(ThresholdBreached.KIND_THRESHOLD);
        assertThat(old.phaseOrDefault()).isEqualTo(ThresholdBreached.PHASE_ROLLOUT);
        assertThat(old.trendPerHour()).isNull();
        assertThat(old.stepStartedAt()).isNull();
        assertThat(old.deploymentStartedAt()).isNull();
    }

    @Test
    void theOldConstructorsLeaveEveryAdditionAbsent() {
        RollbackCompleted completed = new RollbackCompleted("checkout", "production", RollbackOutcome.SUCCEEDED,
                "2.3.1", 1842, 1862L, null);
        RollbackRequested requested = new RollbackRequested("checkout", "production", Trigger.MANUAL, "by hand",
                List.of(), null, null, "2.4.0", "2.3.1", "erin", null);
        StepCompleted step = new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 5, 10, null);
        SmokeCheck smoke = new SmokeCheck("http://127.0.0.1:8090/health", "GET", 200, null, null, null);
        DeploymentStarted started = new DeploymentStarted("checkout", "production", "2.4.0", null,
                new Target("http", "http://127.0.0.1:8090", null), List.of(StepSpec.setWeight(100)), null, "alice");

        assertThat(completed.toWeight()).isNull();
        assertThat(completed.health()).isNull();
        assertThat(requested.severity()).isNull();
        assertThat(requested.respondBy()).isNull();
        assertThat(requested.policyPack()).isNull();
        assertThat(step.verdict()).isNull();
        assertThat(smoke.headers()).isNull();
        assertThat(smoke.expectHeaders()).isNull();
        assertThat(smoke.expectJson()).isNull();
        assertThat(started.onFailure()).isNull();
        assertThat(started.bakeWindow()).isNull();
        // and so the old fixtures' bytes: nothing new is written for an absent field
        assertThat(new String(EventCodec.encode(Envelope.of(Envelope.source("deploy-service"),
                GoldenFixtureWriter.CHECKOUT, completed)), StandardCharsets.UTF_8))
                .doesNotContain("toWeight", "health");
    }

    // --- SmokeCheck: canonical bytes whatever the order of the maps -------------------------------------------

    @Test
    void smokeHeadersAreWrittenInNameOrderWhateverTheOrderTheyCameIn() {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> reversed = new LinkedHashMap<>();
        List<String> names = List.of("Accept", "Authorization", "X-Api-Version", "X-Request-Id", "X-Tenant",
                "User-Agent", "Cache-Control", "X-Canary");
        for (String name : names) {
            headers.put(name, "v-" + name);
        }
        List<String> backwards = new ArrayList<>(names);
        java.util.Collections.reverse(backwards);
        for (String name : backwards) {
            reversed.put(name, "v-" + name);
        }
        SmokeCheck a = new SmokeCheck("http://127.0.0.1:8090/health", "GET", 200, null, null, null, headers,
                headers, Map.of("/b", 1, "/a", 2));
        SmokeCheck b = new SmokeCheck("http://127.0.0.1:8090/health", "GET", 200, null, null, null, reversed,
                reversed, Map.of("/a", 2, "/b", 1));

        assertThat(new ArrayList<>(a.headers().keySet())).isSorted();
        assertThat(new ArrayList<>(a.expectHeaders().keySet())).isSorted();
        assertThat(new ArrayList<>(a.expectJson().keySet())).containsExactly("/a", "/b");
        assertThat(encode(a)).isEqualTo(encode(b));
    }

    private static String encode(SmokeCheck check) {
        DeploymentStarted started = new DeploymentStarted("orders", "production", "4.0.0", null,
                new Target("http", "http://127.0.0.1:8090", null), List.of(StepSpec.smoke(List.of(check))), null,
                "frank");
        Envelope<DeploymentStarted> event = new Envelope<>("269e29f0-4a9d-4cae-9005-21416bb4f3b5",
                Envelope.source("deploy-service"), EventType.DEPLOYMENT_STARTED, GoldenFixtureWriter.ORDERS,
                Instant.parse("2026-03-07T10:00:00.118342Z"), null, GoldenFixtureWriter.ORDERS,
                GoldenFixtureWriter.ORDERS, started);
        return new String(EventCodec.encode(event), StandardCharsets.UTF_8);
    }
}
