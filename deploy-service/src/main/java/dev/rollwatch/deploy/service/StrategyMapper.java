package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.rest.DeploymentRequests;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.SmokeCheck;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.platform.rest.ProblemException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns the API's step and check shapes into the contract's normalised specs, refusing ambiguous input. */
public final class StrategyMapper {

    /** The runbooks' staged rollout, used when a request gives no strategy. */
    public static final List<StepSpec> DEFAULT_STEPS = List.of(
            StepSpec.setWeight(5), StepSpec.analysis(Duration.ofMinutes(1)),
            StepSpec.setWeight(25), StepSpec.analysis(Duration.ofMinutes(1)),
            StepSpec.setWeight(100), StepSpec.analysis(Duration.ofMinutes(5)));

    private StrategyMapper() {
    }

    public static List<StepSpec> steps(DeploymentRequests.Strategy strategy) {
        if (strategy == null || strategy.steps() == null || strategy.steps().isEmpty()) {
            return DEFAULT_STEPS;
        }
        List<StepSpec> steps = new ArrayList<>();
        int lastWeight = -1;
        for (int i = 0; i < strategy.steps().size(); i++) {
            StepSpec step = step(strategy.steps().get(i), "strategy.steps[" + i + "]");
            if (step.kind() == dev.rollwatch.events.StepKind.SET_WEIGHT) {
                if (step.weight() <= lastWeight) {
                    throw ProblemException.badRequest("invalid-strategy", "strategy.steps[" + i + "].setWeight "
                            + step.weight() + " must be greater than the previous weight " + lastWeight);
                }
                lastWeight = step.weight();
            }
            steps.add(step);
        }
        return steps;
    }

    private static StepSpec step(DeploymentRequests.Step s, String where) {
        int members = (s.setWeight() != null ? 1 : 0) + (s.smoke() != null ? 1 : 0) + (s.analysis() != null ? 1 : 0)
                + (s.pause() != null ? 1 : 0);
        if (members != 1) {
            throw ProblemException.badRequest("invalid-strategy",
                    where + " must have exactly one of setWeight, smoke, analysis, pause");
        }
        if (s.setWeight() != null) {
            return StepSpec.setWeight(s.setWeight());
        }
        if (s.analysis() != null) {
            return StepSpec.analysis(Durations.parse(s.analysis().duration(), where + ".analysis.duration"));
        }
        if (s.pause() != null) {
            return StepSpec.pause(Durations.parse(s.pause().duration(), where + ".pause.duration"));
        }
        List<SmokeCheck> checks = new ArrayList<>();
        for (int i = 0; i < s.smoke().checks().size(); i++) {
            DeploymentRequests.SmokeCheck c = s.smoke().checks().get(i);
            checks.add(new SmokeCheck(c.url(), c.method() == null ? "GET" : c.method(),
                    c.expectStatus() == null ? 200 : c.expectStatus(), c.bodyContains(),
                    Durations.parse(c.timeout(), where + ".smoke.checks[" + i + "].timeout"),
                    c.retries() == null ? 0 : c.retries()));
        }
        return StepSpec.smoke(checks);
    }

    public static AnalysisSpec analysis(DeploymentRequests.Analysis analysis) {
        if (analysis == null || analysis.checks() == null) {
            return new AnalysisSpec(List.of());
        }
        List<CheckSpec> checks = new ArrayList<>();
        for (int i = 0; i < analysis.checks().size(); i++) {
            DeploymentRequests.Check c = analysis.checks().get(i);
            String where = "analysis.checks[" + i + "]";
            if (c.min() == null && c.max() == null) {
                throw ProblemException.badRequest("invalid-analysis", where + " needs min or max");
            }
            checks.add(new CheckSpec(c.name(), c.provider() == null ? "scrape" : c.provider(), c.metric(),
                    c.query(), c.min(), c.max(), Durations.parse(c.interval(), where + ".interval"),
                    Durations.parse(c.window(), where + ".window"), c.failureLimit(), c.consecutiveErrorLimit(),
                    c.severity()));
        }
        return new AnalysisSpec(checks);
    }
}
