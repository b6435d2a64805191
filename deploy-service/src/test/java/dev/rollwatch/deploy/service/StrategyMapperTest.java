package dev.rollwatch.deploy.service;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.SmokeCheck;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.platform.rest.ProblemException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StrategyMapperTest {

    private static final StrategyMapper MAPPER = new StrategyMapper(StrategyMapper.Defaults.runbooks(),
            Set.of("SMOKE_TOKEN")::contains);
    private static final DeploymentRequests.Target TARGET = new DeploymentRequests.Target("http",
            "https://checkout.example/", null);

    private static DeploymentRequests.CreateDeployment request(DeploymentRequests.Strategy strategy,
            String bakeWindow) {
        return new DeploymentRequests.CreateDeployment("checkout", "production", "2.4.0", "2.3.0", TARGET, strategy,
                null, null, bakeWindow);
    }

    private static DeploymentRequests.Strategy strategy(String onFailure, String afterStepBack,
            DeploymentRequests.Step... steps) {
        return new DeploymentRequests.Strategy(List.of(steps), onFailure, afterStepBack);
    }

    private static DeploymentRequests.Step weight(int w) {
        return new DeploymentRequests.Step(w, null, null, null);
    }

    private static DeploymentRequests.Step smoke(Map<String, String> headers, Map<String, String> expectHeaders,
            Map<String, Object> expectJson) {
        return new DeploymentRequests.Step(null, new DeploymentRequests.Smoke(List.of(new DeploymentRequests.SmokeCheck(
                "https://checkout.example/status", null, null, null, null, null, headers, expectHeaders,
                expectJson))), null, null);
    }

    private static DeploymentRequests.Step analysis(DeploymentRequests.Criterion... criteria) {
        return new DeploymentRequests.Step(null, null, new DeploymentRequests.AnalysisStep("10m", List.of(criteria)),
                null);
    }

    private static DeploymentRequests.Criterion maxOf(String name, String metric, Double max) {
        return new DeploymentRequests.Criterion(name, null, metric, null, null, max, null, null, null, null, null);
    }

    @Test
    void noStrategyIsTheRunbooksStagedRolloutWithItsCriteriaAndAGate() {
        StrategyMapper.Plan plan = MAPPER.plan(request(null, null));

        assertThat(plan.defaultStrategy()).isTrue();
        assertThat(plan.steps()).extracting(StepSpec::kind).containsExactly(StepKind.SMOKE, StepKind.SET_WEIGHT,
                StepKind.SMOKE, StepKind.ANALYSIS, StepKind.PAUSE, StepKind.SET_WEIGHT, StepKind.ANALYSIS,
                StepKind.SET_WEIGHT, StepKind.ANALYSIS);
        assertThat(plan.steps()).filteredOn(s -> s.kind() == StepKind.SET_WEIGHT).extracting(StepSpec::weight)
                .containsExactly(5, 25, 100);
        // The health check before any traffic moves, and again at 5 %: the target's /health, 200.
        assertThat(plan.steps().get(0).checks()).singleElement().satisfies(c -> {
            assertThat(c.url()).isEqualTo("https://checkout.example/health");
            assertThat(c.expectStatus()).isEqualTo(200);
        });
        assertThat(plan.steps().get(2).checks()).isEqualTo(plan.steps().get(0).checks());
        // 004: canary < 0.5 % for Day 1-2; 25 % < 0.1 % for Day 3-5; 100 % < 0.1 % stable for 24 h.
        assertThat(plan.steps().get(3).duration()).isEqualTo(Duration.ofHours(48));
        assertThat(plan.steps().get(3).criteria()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("step3-error_rate");
            assertThat(c.metric()).isEqualTo("error_rate");
            assertThat(c.max()).isEqualTo(0.005);
        });
        assertThat(plan.steps().get(4).duration()).isNull(); // the open-ended go/no-go gate
        assertThat(plan.steps().get(6).duration()).isEqualTo(Duration.ofHours(72));
        assertThat(plan.steps().get(6).criteria()).extracting(CheckSpec::max).containsExactly(0.001);
        assertThat(plan.steps().get(8).duration()).isEqualTo(Duration.ofHours(24));
        assertThat(plan.steps().get(8).criteria()).extracting(CheckSpec::max).containsExactly(0.001);
        assertThat(plan.onFailure()).isNull();
        assertThat(plan.bakeWindow()).isNull(); // the monitor's default, 1 h
    }

    @Test
    void stepCriteriaGetDerivedNamesAndTheStrategyCarriesStepBackAndTheBakeWindow() {
        StrategyMapper.Plan plan = MAPPER.plan(request(strategy("stepBack", "continue", weight(5),
                analysis(maxOf(null, "error_rate", 0.005), maxOf(null, "error_rate", 0.01),
                        maxOf("p95", "latency_p95_seconds", 1.0)), weight(25)), "2d"));

        assertThat(plan.steps().get(1).criteria()).extracting(CheckSpec::name)
                .containsExactly("step1-error_rate", "step1-error_rate-2", "p95");
        assertThat(plan.onFailure()).isEqualTo("stepBack");
        assertThat(plan.afterStepBack()).isEqualTo("continue");
        assertThat(plan.bakeWindow()).isEqualTo(Duration.ofDays(2));
        assertThat(plan.defaultStrategy()).isFalse();
    }

    @Test
    void smokeHeadersKeepTheSecretReferenceAndTheAssertionsAreCarried() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("/status", "UP");
        json.put("/checks/0/healthy", true);
        StrategyMapper.Plan plan = MAPPER.plan(request(strategy(null, null, weight(5), smoke(
                Map.of("Authorization", "Bearer ${secret:SMOKE_TOKEN}", "X-Tenant", "acme"),
                Map.of("Content-Type", "application/json"), json)), null));

        SmokeCheck check = plan.steps().get(1).checks().get(0);
        assertThat(check.headers()).containsEntry("Authorization", "Bearer ${secret:SMOKE_TOKEN}")
                .containsEntry("X-Tenant", "acme");
        assertThat(check.expectHeaders()).containsEntry("Content-Type", "application/json");
        assertThat(check.expectJson()).containsEntry("/status", "UP").containsEntry("/checks/0/healthy", true);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("an unknown secret is refused at creation",
                        request(strategy(null, null, smoke(Map.of("X-Token", "${secret:NOPE}"), null, null)), null),
                        "unknown-secret", "refers to secret 'NOPE', which is not configured"),
                arguments("a literal credential in Authorization is refused",
                        request(strategy(null, null, smoke(Map.of("Authorization", "Bearer abc123"), null, null)),
                                null),
                        "literal-credential", "must be a secret reference"),
                arguments("a literal Basic credential in Proxy-Authorization is refused",
                        request(strategy(null, null, smoke(Map.of("Proxy-Authorization", "Basic dXNlcjpwdw=="), null,
                                null)), null),
                        "literal-credential", "must be a secret reference"),
                arguments("a malformed secret reference is refused",
                        request(strategy(null, null, smoke(Map.of("X-Token", "${secret:}"), null, null)), null),
                        "invalid-smoke-check", "malformed secret reference"),
                arguments("a header the client sets is refused",
                        request(strategy(null, null, smoke(Map.of("Host", "evil.example"), null, null)), null),
                        "invalid-smoke-check", "set by the HTTP client"),
                arguments("an invalid header name is refused",
                        request(strategy(null, null, smoke(Map.of("Bad Header", "x"), null, null)), null),
                        "invalid-smoke-check", "not a valid header name"),
                arguments("an expectJson key that is no JSON Pointer is refused",
                        request(strategy(null, null, smoke(null, null, Map.of("status", "UP"))), null),
                        "invalid-smoke-check", "is not a JSON Pointer"),
                arguments("a criterion without min or max is refused",
                        request(strategy(null, null, weight(5), analysis(maxOf(null, "error_rate", null))), null),
                        "invalid-analysis", "strategy.steps[1].analysis.criteria[0] needs min or max"),
                arguments("two criteria of one name are refused",
                        request(strategy(null, null, analysis(maxOf("e", "error_rate", 0.1), maxOf("e", "x", 0.1))),
                                null),
                        "invalid-analysis", "'e' is used twice"),
                arguments("a bake window of 0 is refused",
                        request(null, "0s"), "invalid-duration", "bakeWindow must be above 0 and at most 7 days"),
                arguments("a bake window over 7 days is refused",
                        request(null, "8d"), "invalid-duration", "between 0 and 7 days"),
                arguments("afterStepBack without stepBack is refused",
                        request(strategy("rollback", "continue", weight(5)), null),
                        "invalid-strategy", "afterStepBack applies only with strategy.onFailure stepBack"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithAProblemNamingTheField(String rule, DeploymentRequests.CreateDeployment request, String type,
            String detail) {
        assertThatThrownBy(() -> MAPPER.plan(request)).isInstanceOf(ProblemException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(e.toString() + ((ProblemException) e).getMessage()).doesNotContain(
                        "abc123").doesNotContain("dXNlcjpwdw=="))
                .extracting(e -> ((ProblemException) e).type()).isEqualTo(type);
    }
}
