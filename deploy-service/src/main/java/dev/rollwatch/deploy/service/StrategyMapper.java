package dev.rollwatch.deploy.service;

import com.fasterxml.jackson.core.JsonPointer;
import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.events.AnalysisSpec;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.SmokeCheck;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns the API's strategy, step and check shapes into the contract's normalised specs, refusing ambiguous input
 * (400 problems naming the field), and supplies the runbooks' default strategy when a request has none.
 */
@ApplicationScoped
public class StrategyMapper {

    /** The longest bake window a request may ask for. */
    public static final Duration MAX_BAKE_WINDOW = Duration.ofDays(7);
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    /** Headers the HTTP client sets itself (and refuses to be given). */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    /** Headers whose value is a credential: only a secret reference, with an optional scheme word before it. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization");
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile(
            "\\s*(?:[A-Za-z][A-Za-z0-9-]*\\s+)?\\$\\{secret:[A-Za-z0-9._-]+}\\s*");

    /** The default strategy's parameters (configuration {@code rollwatch.deploy.default-strategy.*}). */
    public record Defaults(Duration canaryAnalysis, Duration graduatedAnalysis, Duration fullAnalysis,
            double canaryMaxErrorRate, double maxErrorRate, String errorRateMetric, String healthPath) {

        /** The runbooks' values: 004's 48 h at 5 %, 72 h at 25 %, 24 h at 100 %, &lt; 0.5 % then &lt; 0.1 %. */
        public static Defaults runbooks() {
            return new Defaults(Duration.ofHours(48), Duration.ofHours(72), Duration.ofHours(24), 0.005, 0.001,
                    "error_rate", "/health");
        }

        static Defaults of(DeployConfig.DefaultStrategy c) {
            return new Defaults(c.canaryAnalysis(), c.graduatedAnalysis(), c.fullAnalysis(), c.canaryMaxErrorRate(),
                    c.maxErrorRate(), c.errorRateMetric(), c.healthPath());
        }
    }

    /** What a request asks the engine to run. {@code onFailure}/{@code afterStepBack} null mean the defaults. */
    public record Plan(List<StepSpec> steps, AnalysisSpec analysis, String onFailure, String afterStepBack,
            Duration bakeWindow, boolean defaultStrategy) {
    }

    private final Defaults defaults;
    private final Predicate<String> knownSecret;

    @Inject
    public StrategyMapper(DeployConfig config, SmokeSecrets secrets) {
        this(Defaults.of(config.defaultStrategy()), secrets::known);
    }

    public StrategyMapper(Defaults defaults, Predicate<String> knownSecret) {
        this.defaults = defaults;
        this.knownSecret = knownSecret;
    }

    /** The validated plan of a create request. */
    public Plan plan(DeploymentRequests.CreateDeployment request) {
        return plan(request, request.target().url());
    }

    /** The validated plan of a create request whose target is at {@code targetUrl} (the registered one, or its own). */
    public Plan plan(DeploymentRequests.CreateDeployment request, String targetUrl) {
        DeploymentRequests.Strategy strategy = request.strategy();
        boolean byDefault = strategy == null || strategy.steps() == null || strategy.steps().isEmpty();
        List<StepSpec> steps = byDefault ? defaultSteps(targetUrl, defaults) : steps(strategy);
        String onFailure = strategy == null ? null : strategy.onFailure();
        String afterStepBack = strategy == null ? null : strategy.afterStepBack();
        if (afterStepBack != null && !DeploymentStarted.ON_FAILURE_STEP_BACK.equals(onFailure)) {
            throw ProblemException.badRequest("invalid-strategy",
                    "strategy.afterStepBack applies only with strategy.onFailure stepBack");
        }
        return new Plan(steps, analysis(request.analysis()), onFailure, afterStepBack,
                bakeWindow(request.bakeWindow()), byDefault);
    }

    /**
     * The runbooks' staged rollout for a target at {@code targetUrl}: a health check of the current version before
     * any traffic moves (runbook 001 T-1h "Production Health Check"), 5 % (004 phase 1), a smoke health check
     * (001 step 6, 002 "automatic rollback when the post-deploy health check fails"), the canary analysis with
     * criterion error rate &lt; 0.5 %, an open-ended go/no-go gate (004 "Proceed to Phase 2" after review), 25 %
     * with error rate &lt; 0.1 % (004 phase 2), 100 % with error rate &lt; 0.1 % (004 phase 3); the bake window follows
     * SUCCEEDED (the monitor's).
     */
    public static List<StepSpec> defaultSteps(String targetUrl, Defaults d) {
        SmokeCheck health = new SmokeCheck(targetUrl.replaceAll("/+$", "") + d.healthPath(), "GET", 200, null, null,
                1);
        List<StepSpec> steps = new ArrayList<>();
        steps.add(StepSpec.smoke(List.of(health)));
        steps.add(StepSpec.setWeight(5));
        steps.add(StepSpec.smoke(List.of(health)));
        steps.add(StepSpec.analysis(d.canaryAnalysis(), List.of(errorRate(3, d, d.canaryMaxErrorRate()))));
        steps.add(StepSpec.pause(null));
        steps.add(StepSpec.setWeight(25));
        steps.add(StepSpec.analysis(d.graduatedAnalysis(), List.of(errorRate(6, d, d.maxErrorRate()))));
        steps.add(StepSpec.setWeight(100));
        steps.add(StepSpec.analysis(d.fullAnalysis(), List.of(errorRate(8, d, d.maxErrorRate()))));
        return List.copyOf(steps);
    }

    private static CheckSpec errorRate(int index, Defaults d, double max) {
        return new CheckSpec(criterionName(index, d.errorRateMetric()), "scrape", d.errorRateMetric(), null, null,
                max, null, null, null, null, null);
    }

    static String criterionName(int index, String metric) {
        return "step" + index + "-" + metric.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public List<StepSpec> steps(DeploymentRequests.Strategy strategy) {
        List<StepSpec> steps = new ArrayList<>();
        int lastWeight = -1;
        for (int i = 0; i < strategy.steps().size(); i++) {
            StepSpec step = step(strategy.steps().get(i), i, "strategy.steps[" + i + "]");
            if (step.kind() == StepKind.SET_WEIGHT) {
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

    private StepSpec step(DeploymentRequests.Step s, int index, String where) {
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
            return StepSpec.analysis(Durations.parse(s.analysis().duration(), where + ".analysis.duration"),
                    criteria(s.analysis().criteria(), index, where + ".analysis.criteria"));
        }
        if (s.pause() != null) {
            return StepSpec.pause(Durations.parse(s.pause().duration(), where + ".pause.duration"));
        }
        List<SmokeCheck> checks = new ArrayList<>();
        for (int i = 0; i < s.smoke().checks().size(); i++) {
            checks.add(smokeCheck(s.smoke().checks().get(i), where + ".smoke.checks[" + i + "]"));
        }
        return StepSpec.smoke(checks);
    }

    private static List<CheckSpec> criteria(List<DeploymentRequests.Criterion> criteria, int index, String where) {
        if (criteria == null || criteria.isEmpty()) {
            return null;
        }
        List<CheckSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < criteria.size(); i++) {
            DeploymentRequests.Criterion c = criteria.get(i);
            String at = where + "[" + i + "]";
            if (c.min() == null && c.max() == null) {
                throw ProblemException.badRequest("invalid-analysis", at + " needs min or max");
            }
            String name = c.name();
            if (name == null || name.isBlank()) {
                name = criterionName(index, c.metric());
                for (int n = 2; names.contains(name); n++) {
                    name = criterionName(index, c.metric()) + "-" + n;
                }
            }
            if (!names.add(name)) {
                throw ProblemException.badRequest("invalid-analysis", at + ".name '" + name + "' is used twice");
            }
            specs.add(new CheckSpec(name, c.provider() == null ? "scrape" : c.provider(), c.metric(), c.query(),
                    c.min(), c.max(), Durations.parse(c.interval(), at + ".interval"),
                    Durations.parse(c.window(), at + ".window"), c.failureLimit(), c.consecutiveErrorLimit(),
                    c.severity()));
        }
        return specs;
    }

    private SmokeCheck smokeCheck(DeploymentRequests.SmokeCheck c, String where) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (c.headers() != null) {
            for (Map.Entry<String, String> h : c.headers().entrySet()) {
                String at = where + ".headers." + h.getKey();
                headerName(h.getKey(), at);
                String lower = h.getKey().toLowerCase(Locale.ROOT);
                if (RESTRICTED.contains(lower)) {
                    throw ProblemException.badRequest("invalid-smoke-check", at + " is set by the HTTP client and "
                            + "cannot be sent");
                }
                String value = h.getValue();
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw ProblemException.badRequest("invalid-smoke-check", at + " must be one line");
                }
                if (CREDENTIAL_HEADERS.contains(lower) && !CREDENTIAL_VALUE.matcher(value).matches()) {
                    // Never echo the value: it may be the credential.
                    throw ProblemException.badRequest("literal-credential", at + " must be a secret reference such "
                            + "as 'Bearer ${secret:NAME}' (the value from rollwatch.deploy.smoke-secrets.NAME): a "
                            + "literal credential would be stored in the deployment, its events and the audit log");
                }
                if (value.contains("${secret:") && value.replaceAll(SmokeSecrets.REFERENCE.pattern(), "")
                        .contains("${secret:")) {
                    throw ProblemException.badRequest("invalid-smoke-check", at + " has a malformed secret reference "
                            + "(write ${secret:NAME}, NAME letters, digits, . _ -)");
                }
                for (String name : SmokeSecrets.references(value)) {
                    if (!knownSecret.test(name)) {
                        throw ProblemException.badRequest("unknown-secret", at + " refers to secret '" + name
                                + "', which is not configured (rollwatch.deploy.smoke-secrets." + name + " or "
                                + SmokeSecrets.environmentVariable(name) + ")");
                    }
                }
                headers.put(h.getKey(), value);
            }
        }
        if (c.expectHeaders() != null) {
            c.expectHeaders().keySet().forEach(name -> headerName(name, where + ".expectHeaders." + name));
        }
        if (c.expectJson() != null) {
            for (String pointer : c.expectJson().keySet()) {
                try {
                    if (!pointer.startsWith("/")) {
                        throw new IllegalArgumentException("must start with /");
                    }
                    JsonPointer.compile(pointer);
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("invalid-smoke-check", where + ".expectJson key '" + pointer
                            + "' is not a JSON Pointer (RFC 6901, e.g. /status or /checks/0/name)");
                }
            }
        }
        Duration timeout = Durations.parse(c.timeout(), where + ".timeout");
        if (timeout != null && (timeout.isZero() || timeout.compareTo(SmokeRunner.MAX_TIMEOUT) > 0)) {
            throw ProblemException.badRequest("invalid-duration", where + ".timeout must be above 0 and at most "
                    + SmokeRunner.MAX_TIMEOUT.toSeconds() + "s");
        }
        return new SmokeCheck(c.url(), c.method() == null ? "GET" : c.method(),
                c.expectStatus() == null ? 200 : c.expectStatus(), c.bodyContains(), timeout,
                c.retries() == null ? 0 : c.retries(), headers, c.expectHeaders(), c.expectJson());
    }

    private static void headerName(String name, String at) {
        if (!HEADER_NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("invalid-smoke-check", at + " is not a valid header name");
        }
    }

    /** The requested bake window: above 0 and at most 7 days; absent means the monitor's default (1 h). */
    public static Duration bakeWindow(String text) {
        Duration d = Durations.parse(text, "bakeWindow");
        if (d != null && (d.isZero() || d.compareTo(MAX_BAKE_WINDOW) > 0)) {
            throw ProblemException.badRequest("invalid-duration", "bakeWindow must be above 0 and at most 7 days");
        }
        return d;
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
