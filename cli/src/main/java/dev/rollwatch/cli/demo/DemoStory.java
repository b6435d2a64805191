package dev.rollwatch.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.commands.AuditCommands;
import dev.rollwatch.cli.commands.RollbackCommands;
import dev.rollwatch.cli.commands.TimelinePrinter;
import dev.rollwatch.cli.commands.Watching;
import dev.rollwatch.cli.http.ApiClient;
import dev.rollwatch.cli.http.ApiException;
import dev.rollwatch.cli.watch.DeploymentWatcher;
import dev.rollwatch.cli.watch.ProgressRenderer;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The story {@code rollwatch demo} tells, step by step, against the running services. */
final class DemoStory {

    /**
     * {@code approverToken}: the on-call who approves a gate the story waits at (the requester may not approve its
     * own deployment); null: the story's own token, and a refused self-approval is reported.
     */
    record Settings(String service, String environment, String targetUrl, Duration analysis, Duration timeout,
            String approverToken) {
    }

    private static final Set<String> ACTIVE = Set.of("PENDING", "RUNNING", "AWAITING_APPROVAL", "PAUSED",
            "ROLLING_BACK");
    private static final Duration EVIDENCE_WAIT = Duration.ofSeconds(20);

    private final Rollwatch root;
    private final ApiClient api;
    private final ApiClient approver;
    private final Settings s;
    private final PrintWriter out;
    private final long started = System.nanoTime();
    private int deviations;

    DemoStory(Rollwatch root, Settings settings) {
        this.root = root;
        this.api = root.api();
        this.approver = settings.approverToken() == null ? api : new ApiClient(settings.approverToken());
        this.s = settings;
        this.out = root.out();
    }

    int run() {
        heading("Rollwatch demo: " + s.service() + " in " + s.environment() + " on demo-target " + s.targetUrl());
        registerTarget();
        long run = clearEarlierRuns();

        String good = DemoPlan.goodVersion(run);
        heading("1/2  a good version, " + good + ": canary 5% -> 25% -> 100%, each canary step analysed for "
                + s.analysis().toSeconds() + "s (error rate of " + good + " scraped from demo-target /metrics: the 5% "
                + "canary's own criterion < 0.5% (runbook 004), and over 1% is a P1 at every step)");
        DeploymentWatcher.Result first = deployAndWatch(good, currentVersion());
        boolean firstOk = "SUCCEEDED".equals(first.status());
        if (!firstOk) {
            say("!! expected SUCCEEDED, got " + first.status() + ": see './rollwatch cli decisions "
                    + first.last().path("id").asText() + "' and var/log/");
        }

        String bad = DemoPlan.badVersion(run);
        heading("2/2  a bad version, " + bad + " (demo-target serves it with 8% errors): the 5% canary's criterion "
                + "(error rate < 0.5%) should fail, and the rollback service roll it back at once (a failed phase "
                + "criterion, runbook 004)");
        DeploymentWatcher.Result second = deployAndWatch(bad, null);
        String badId = second.last().path("id").asText();
        boolean secondOk = "ROLLED_BACK".equals(second.status());
        if (!secondOk) {
            say("!! expected ROLLED_BACK, got " + second.status());
        }

        showDecisions(badId);
        showAlerts(badId);
        showTimeline(badId);
        boolean intact = showVerify();
        showUrls(badId);

        boolean ok = firstOk && secondOk && intact && deviations == 0;
        heading((ok ? "demo done" : "demo done, but NOT as told (see the !! lines above)") + " in "
                + seconds(System.nanoTime() - started));
        say("the stack keeps running until ./rollwatch down");
        return ok ? 0 : 1;
    }

    /** Aborts what an earlier run left active (so no 409); returns this run's number. */
    /**
     * Registers demo-target as the service's target in the environment (admin): deploy-service runs deployments
     * only against registered targets (production default), and the story's deployments then name exactly these.
     */
    private void registerTarget() {
        String base = ApiClient.stripSlash(s.targetUrl());
        String path = "/api/v1/services/" + s.service() + "/environments/" + s.environment();
        Map<String, Object> registration = new java.util.LinkedHashMap<>();
        registration.put("targetUrl", base);
        registration.put("metricsUrl", base + "/metrics");
        api.put(root.deployUrl() + path, registration);
        say("PUT " + path + " -> target " + base + ", metrics " + base + "/metrics (deploy-service runs "
                + "deployments only against registered targets)");
    }

    private long clearEarlierRuns() {
        JsonNode page = api.get(ApiClient.url(root.deployUrl(), "/api/v1/deployments",
                ApiClient.query("service", s.service(), "environment", s.environment(), "size", 200)));
        for (JsonNode d : page.path("items")) {
            String status = d.path("status").asText();
            if (!ACTIVE.contains(status)) {
                continue;
            }
            String id = d.path("id").asText();
            if (status.equals("ROLLING_BACK")) {
                say("an earlier deployment " + id + " (" + d.path("version").asText()
                        + ") is rolling back: waiting for it to end");
                new DeploymentWatcher(api, root.deployUrl(), Watching.POLL_INTERVAL, x -> { })
                        .watch(id, Duration.ofSeconds(60));
                continue;
            }
            api.post(root.deployUrl() + "/api/v1/deployments/" + id + "/abort",
                    Map.of("reason", "a new demo run starts"));
            say("aborted an earlier deployment still " + status + ": " + d.path("version").asText() + " (" + id + ")");
        }
        return page.path("total").asLong();
    }

    /** What the target runs now (the previous version of the first deployment), or null to let the server pick. */
    private String currentVersion() {
        try {
            JsonNode state = api.get(ApiClient.url(s.targetUrl(), "/rollwatch/v1/state",
                    ApiClient.query("service", s.service())));
            boolean canaryOwnsAll = state.path("weight").asInt() == 100 && state.path("canaryVersion").isTextual();
            JsonNode v = canaryOwnsAll ? state.path("canaryVersion") : state.path("stableVersion");
            return v.isTextual() ? v.asText() : null;
        } catch (ApiException e) {
            return null;
        }
    }

    private DeploymentWatcher.Result deployAndWatch(String version, String previousVersion) {
        JsonNode created = api.post(root.deployUrl() + "/api/v1/deployments", DemoPlan.deployment(s.service(),
                s.environment(), version, previousVersion, s.targetUrl(), s.analysis()));
        String id = created.path("id").asText();
        say("POST /api/v1/deployments -> " + id);
        ProgressRenderer renderer = new ProgressRenderer();
        DeploymentWatcher watcher = new DeploymentWatcher(api, root.deployUrl(), Watching.POLL_INTERVAL, d -> {
            renderer.update(d).forEach(line -> say(line));
        }, d -> "AWAITING_APPROVAL".equals(d.path("status").asText()));
        long deadline = System.nanoTime() + s.timeout().toNanos();
        while (true) {
            DeploymentWatcher.Result r = watcher.watch(id, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (r.timedOut() || !"AWAITING_APPROVAL".equals(r.status())) {
                say(Watching.summary(r, s.timeout()));
                if (!ExitCodes.isTerminal(r.status())) {
                    api.post(root.deployUrl() + "/api/v1/deployments/" + id + "/abort", Map.of("reason",
                            "demo: did not end within " + s.timeout().toSeconds() + " s"));
                    say("!! aborted it, so that the next deployment can start");
                }
                return r;
            }
            // The plan has no go/no-go gate: waiting for a person means an analysis step was INCONCLUSIVE.
            say("!! " + r.last().path("statusReason").asText("awaiting approval") + ": the monitor took no "
                    + "measurement in time (see var/log/monitor-service.log); approving, as an on-call would, so the "
                    + "story goes on" + (approver == api ? "" : " (as " + DemoCommand.APPROVER + ": the requester may not "
                    + "approve its own deployment)"));
            deviations++;
            approver.post(root.deployUrl() + "/api/v1/deployments/" + id + "/approve", Map.of("reason",
                    "demo: analysis inconclusive, approved to go on"));
        }
    }

    private void showDecisions(String id) {
        heading("rollback-service decisions about " + id + " (oldest first; each names the runbook rule it applies)");
        JsonNode page = api.get(ApiClient.url(root.rollbackUrl(), "/api/v1/decisions",
                ApiClient.query("deploymentId", id)));
        List<JsonNode> decisions = new ArrayList<>();
        page.path("items").forEach(decisions::add);
        java.util.Collections.reverse(decisions); // the API lists newest first
        decisionLines(decisions).forEach(this::say);
        if (decisions.isEmpty()) {
            say("!! no decision recorded");
        } else if (decisions.stream().noneMatch(d -> "ROLLBACK".equals(d.path("action").asText()))) {
            say("!! no ROLLBACK decision recorded");
        }
    }

    /**
     * What the decisions say, oldest first: action, rule and reason of each, the runbook rule (seed) behind it, the
     * terms of a CONDITIONAL one, and which rule rolled the deployment back.
     */
    static List<String> decisionLines(List<JsonNode> decisions) {
        List<String> lines = new ArrayList<>();
        JsonNode rolledBackBy = null;
        for (JsonNode d : decisions) {
            String action = d.path("action").asText();
            String pack = d.path("policyPack").isTextual() ? ", " + d.path("policyPack").asText() : "";
            String rule = d.path("rule").asText();
            String packRule = RollbackCommands.packRule(d);
            String rules = packRule.equals(rule) ? rule : rule + ", pack rule " + packRule;
            lines.add(action + " (" + rules + pack + "): " + d.path("reason").asText()
                    + ("ROLLBACK".equals(action) && d.path("toVersion").isTextual()
                            ? " -> back to " + d.path("toVersion").asText() : ""));
            if (d.path("seedRule").isTextual()) {
                lines.add("    runbook rule: " + d.path("seedRule").asText());
            }
            if ("CONDITIONAL".equals(action)) {
                lines.add("    asks " + d.path("deciders").asText("an operator") + " to decide by "
                        + d.path("decideBy").asText("?") + " (rollwatch decide " + d.path("id").asText()
                        + " rollback|hold); if nobody does: " + d.path("defaultAction").asText("?"));
            }
            if (rolledBackBy == null && "ROLLBACK".equals(action)) {
                rolledBackBy = d;
            }
        }
        if (rolledBackBy != null) {
            lines.add("rolled back by rule " + RollbackCommands.packRule(rolledBackBy)
                    + (rolledBackBy.path("seedRule").isTextual()
                            ? ": runbook " + rolledBackBy.path("seedRule").asText() : ""));
        }
        return lines;
    }

    private void showAlerts(String id) {
        heading("notifier-service alerts about " + id + " (the built-in log channel stands in for pagerduty and "
                + "slack; also in var/log/notifier-service.log)");
        JsonNode page = await(() -> api.get(ApiClient.url(root.notifierUrl(), "/api/v1/deliveries",
                ApiClient.query("deploymentId", id, "size", 100))), p -> has(p.path("items"),
                "eventType", "dev.rollwatch.rollback.completed.v1"));
        List<JsonNode> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        java.util.Collections.reverse(items); // oldest first
        for (JsonNode d : items) {
            String fallback = d.path("fallbackFor").isEmpty() ? "" : " (for " + String.join(",",
                    texts(d.path("fallbackFor"))) + ")";
            say(String.format("%-9s %s%s: %s", d.path("status").asText(), d.path("channel").asText(), fallback,
                    d.path("title").asText()));
        }
        if (items.isEmpty()) {
            say("!! no alert recorded");
        }
    }

    private void showTimeline(String id) {
        heading("audit timeline of " + id + " (audit-service)");
        JsonNode t = await(() -> api.get(root.auditUrl() + "/api/v1/audit/deployments/" + id + "/timeline"),
                DemoStory::chainComplete);
        TimelinePrinter.lines(t, true).forEach(this::say);
        JsonNode report = api.get(root.deployUrl() + "/api/v1/deployments/" + id + "/report");
        if (report.path("detectionToRollbackMs").isNumber()) {
            say("deploy-service report: detection to rollback " + report.path("detectionToRollbackMs").asLong()
                    + " ms");
        }
    }

    private boolean showVerify() {
        heading("audit integrity check (GET /api/v1/audit/verify)");
        JsonNode r = api.get(root.auditUrl() + "/api/v1/audit/verify");
        say(AuditCommands.Verify.describe(r));
        return r.path("valid").asBoolean(false);
    }

    private void showUrls(String badId) {
        heading("URLs");
        say("deploy-service    " + root.deployUrl() + "/q/swagger-ui");
        say("monitor-service   " + root.monitorUrl() + "/q/swagger-ui");
        say("rollback-service  " + root.rollbackUrl() + "/q/swagger-ui");
        say("notifier-service  " + root.notifierUrl() + "/q/swagger-ui");
        say("audit-service     " + root.auditUrl() + "/q/swagger-ui");
        say("demo-target       " + ApiClient.stripSlash(s.targetUrl()) + "/q/swagger-ui");
        say("audit timeline    " + root.auditUrl() + "/api/v1/audit/deployments/" + badId + "/timeline");
        say("alerts            " + root.notifierUrl() + "/api/v1/deliveries?deploymentId=" + badId);
    }

    /** The rollback chain is complete: rollback done, deployment finished, a notification recorded. */
    static boolean chainComplete(JsonNode timeline) {
        JsonNode r = timeline.path("rollbacks").path(0);
        return r.path("rollback").isObject() && r.path("finished").isObject() && !r.path("notifications").isEmpty();
    }

    private JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + EVIDENCE_WAIT.toNanos();
        JsonNode last = null;
        ApiException failure = null;
        while (System.nanoTime() < deadline) {
            try {
                last = read.get();
                failure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (ApiException e) {
                failure = e; // e.g. the audit log has not ingested the deployment's events yet (404)
            }
            sleep(500);
        }
        if (last == null) {
            throw failure != null ? failure : new ApiException(0, "no answer");
        }
        say("!! still incomplete after " + EVIDENCE_WAIT.toSeconds() + " s; showing what there is");
        return last;
    }

    private static boolean has(JsonNode items, String field, String value) {
        for (JsonNode i : items) {
            if (value.equals(i.path(field).asText())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> texts(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    private void heading(String text) {
        out.println();
        out.println("==> [" + seconds(System.nanoTime() - started) + "] " + text);
        out.flush();
    }

    private void say(String line) {
        out.println("  " + line);
        out.flush();
    }

    private static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }
}
