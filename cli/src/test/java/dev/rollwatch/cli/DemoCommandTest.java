package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.cli.http.ApiClient;
import dev.rollwatch.cli.auth.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's story against stubbed services: what it calls, in which order, and what it tells. */
class DemoCommandTest {

    static final String GOOD = "11111111-0000-0000-0000-000000000001";
    static final String BAD = "22222222-0000-0000-0000-000000000002";
    static final String LEFTOVER = "33333333-0000-0000-0000-000000000003";

    private final List<String> posted = new CopyOnWriteArrayList<>();

    private StubServer stack(String badOutcome) throws IOException {
        StubServer stub = new StubServer();
        stub.json("GET /api/v1/deployments", 200, """
                {"items": [{"id": "%s", "service": "checkout", "environment": "production", "version": "2.5.3-bad",
                            "status": "AWAITING_APPROVAL"},
                           {"id": "x", "service": "checkout", "environment": "production", "version": "2.4.3",
                            "status": "SUCCEEDED"}], "page": 0, "size": 200, "total": 4}""".formatted(LEFTOVER));
        stub.json("POST /api/v1/deployments/" + LEFTOVER + "/abort", 200, "{\"status\": \"ABORTED\"}");
        stub.json("PUT /api/v1/services/checkout/environments/production", 200, "{\"service\": \"checkout\"}");
        stub.json("GET /rollwatch/v1/state", 200, "{\"service\": \"checkout\", \"stableVersion\": \"2.3.0\","
                + " \"canaryVersion\": \"2.4.3\", \"weight\": 100}");
        stub.on("POST /api/v1/deployments", (ex, r) -> {
            JsonNode body = ApiClient.JSON.readTree(r.body());
            posted.add(r.body());
            String id = body.path("version").asText().endsWith("-bad") ? BAD : GOOD;
            StubServer.send(ex, 202, "application/json", "{\"id\": \"" + id + "\", \"status\": \"PENDING\"}");
        });
        stub.json("GET /api/v1/deployments/" + GOOD, 200, snapshot(GOOD, "2.4.4", "SUCCEEDED"));
        stub.json("GET /api/v1/deployments/" + BAD, 200, snapshot(BAD, "2.5.4-bad", badOutcome));
        stub.json("GET /api/v1/decisions", 200, """
                {"items": [{"id": "d-2", "action": "ROLLBACK", "rule": "criteria-failed", "policyPack": "runbook@1",
                            "reason": "the canary's criterion canary-error-rate failed: error_rate 0.0831 > 0.005",
                            "seedRule": "004 issues at 5 % -> roll back immediately", "toVersion": "2.4.4"},
                           {"id": "d-1", "action": "CONDITIONAL", "rule": "p1-conditional", "policyPack": "runbook@1",
                            "reason": "P1 breach of error-rate: error_rate 0.0831 > 0.01",
                            "seedRule": "002 P1 (High) < 15 min: Rollback if no quick fix", "deciders": "operator",
                            "decideBy": "2026-12-04T16:15:00Z", "defaultAction": "ROLLBACK"}]}""");
        stub.json("GET /api/v1/deliveries", 200, """
                {"items": [{"eventType": "dev.rollwatch.rollback.completed.v1", "channel": "log",
                            "fallbackFor": ["slack", "pagerduty"], "status": "DELIVERED",
                            "title": "[P1] checkout production 2.5.4-bad: rolled back to 2.4.4"},
                           {"eventType": "dev.rollwatch.threshold.breached.v1", "channel": "log",
                            "fallbackFor": ["pagerduty", "slack"], "status": "DELIVERED",
                            "title": "[P1] checkout production 2.5.4-bad: check error-rate breached"}]}""");
        stub.json("GET /api/v1/audit/deployments/" + BAD + "/timeline", 200,
                AuditCommandsTest.TIMELINE.replace("\"d1\"", "\"" + BAD + "\""));
        stub.json("GET /api/v1/deployments/" + BAD + "/report", 200, "{\"detectionToRollbackMs\": 262}");
        stub.json("GET /api/v1/audit/verify", 200, "{\"valid\": true, \"from\": 1, \"to\": 90, \"entries\": 90,"
                + " \"checkpoints\": 0, \"headHash\": \"ab\"}");
        return stub;
    }

    private static String snapshot(String id, String version, String status) {
        ObjectNode d = status.equals("SUCCEEDED")
                ? Snapshots.deployment(status, 100, "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED")
                : Snapshots.deployment(status, 0, "SUCCEEDED", "ABORTED");
        return d.put("id", id).put("version", version).toString();
    }

    private StubServer.Run demo(StubServer stub) {
        return StubServer.run(stub.url(), "demo", "--target-url", stub.url(), "--analysis", "7s");
    }

    @Test
    void theStoryClearsTheLeftoverRunsTheGoodThenTheBadVersionAndShowsTheEvidence() throws IOException {
        try (StubServer stub = stack("ROLLED_BACK")) {
            StubServer.Run run = demo(stub);

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(0);
            assertThat(stub.requests("POST", "/api/v1/deployments/" + LEFTOVER + "/abort")).hasSize(1);
            List<StubServer.Request> registered = stub.requests("PUT",
                    "/api/v1/services/checkout/environments/production");
            assertThat(registered).as("the target is registered before the story deploys").hasSize(1);
            JsonNode registration = ApiClient.JSON.readTree(registered.get(0).body());
            assertThat(registration.path("targetUrl").asText()).isEqualTo(stub.url());
            assertThat(registration.path("metricsUrl").asText()).isEqualTo(stub.url() + "/metrics");
            assertThat(stub.requests.indexOf(registered.get(0))).as("registered before the first deployment")
                    .isLessThan(stub.requests.indexOf(stub.requests("POST", "/api/v1/deployments").get(0)));
            assertThat(run.out()).contains("aborted an earlier deployment still AWAITING_APPROVAL: 2.5.3-bad ("
                    + LEFTOVER + ")");
            assertThat(posted).hasSize(2);
            JsonNode good = ApiClient.JSON.readTree(posted.get(0));
            JsonNode bad = ApiClient.JSON.readTree(posted.get(1));
            assertThat(good.path("version").asText()).isEqualTo("2.4.4");
            assertThat(good.path("previousVersion").asText()).as("what the target runs now").isEqualTo("2.4.3");
            assertThat(good.path("strategy").path("steps").get(1).path("analysis").path("duration").asText())
                    .isEqualTo("7s");
            assertThat(bad.path("version").asText()).isEqualTo("2.5.4-bad");
            assertThat(bad.has("previousVersion")).as("the server picks the last good one").isFalse();
            assertThat(run.out())
                    .contains("  [########################] 5/5 steps | weight 100% | SUCCEEDED")
                    .contains("CONDITIONAL (p1-conditional, runbook@1): P1 breach of error-rate: error_rate 0.0831 > 0.01")
                    .contains("    runbook rule: 002 P1 (High) < 15 min: Rollback if no quick fix")
                    .contains("    asks operator to decide by 2026-12-04T16:15:00Z (rollwatch decide d-1 rollback|hold); "
                            + "if nobody does: ROLLBACK")
                    .contains("ROLLBACK (criteria-failed, runbook@1): the canary's criterion canary-error-rate failed: "
                            + "error_rate 0.0831 > 0.005 -> back to 2.4.4")
                    .contains("rolled back by rule criteria-failed: runbook 004 issues at 5 % -> roll back immediately")
                    .contains("DELIVERED log (for pagerduty,slack): [P1] checkout production 2.5.4-bad: check "
                            + "error-rate breached")
                    .contains("check error-rate (P1): error_rate measured 0.0831, 0.0702 > threshold 0.01")
                    .contains("detection to rollback done: 250 ms")
                    .contains("deploy-service report: detection to rollback 262 ms")
                    .contains("audit log intact: 90 entries")
                    .contains(stub.url() + "/api/v1/audit/deployments/" + BAD + "/timeline")
                    .contains("the stack keeps running until ./rollwatch down");
            assertThat(run.out().indexOf("CONDITIONAL (p1-conditional")).as("decisions oldest first")
                    .isLessThan(run.out().indexOf("ROLLBACK (criteria-failed"));
            assertThat(bad.path("strategy").path("steps").get(1).path("analysis").path("criteria").get(0)
                    .path("max").asDouble()).as("the canary's own criterion").isEqualTo(0.005);
            assertThat(run.out().indexOf("DELIVERED log (for pagerduty,slack): [P1] checkout production 2.5.4-bad: "
                    + "check")).as("alerts oldest first").isLessThan(run.out().indexOf("rolled back to 2.4.4"));
        }
    }

    @Test
    void aBadVersionThatIsNotRolledBackFailsTheDemoAndSaysSo() throws IOException {
        try (StubServer stub = stack("SUCCEEDED")) {
            StubServer.Run run = demo(stub);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("!! expected ROLLED_BACK, got SUCCEEDED")
                    .contains("demo done, but NOT as told");
        }
    }

    @Test
    void aGateTheStoryWaitsAtIsApprovedByAnotherOperatorNotByTheRequester(@TempDir Path dir) throws Exception {
        TokenCommandTest.cli("keys", "--dir", dir.toString());
        String key = dir.resolve("jwt-private.pem").toString();
        try (StubServer stub = stack("ROLLED_BACK")) {
            stub.json("POST /api/v1/deployments/" + GOOD + "/approve", 200, "{\"status\": \"RUNNING\"}");
            stub.on("GET /api/v1/deployments/" + GOOD, (ex, r) -> StubServer.send(ex, 200, "application/json",
                    stub.requests("POST", "/api/v1/deployments/" + GOOD + "/approve").isEmpty()
                            ? Snapshots.deployment("AWAITING_APPROVAL", 5, "SUCCEEDED", "AWAITING_APPROVAL")
                                    .put("id", GOOD).put("version", "2.4.4")
                                    .put("statusReason", "analysis INCONCLUSIVE").toString()
                            : snapshot(GOOD, "2.4.4", "SUCCEEDED")));

            StubServer.Run run = StubServer.run(stub.url(), "demo", "--key", key, "--target-url", stub.url(),
                    "--analysis", "7s");

            assertThat(posted).as("the story went on to the bad version: " + run.out() + run.err()).hasSize(2);
            assertThat(run.exitCode()).as("an approval the story needed is a deviation").isEqualTo(1);
            var publicKey = KeyFiles.readPublicKey(dir.resolve("jwt-public.pem"));
            List<StubServer.Request> approvals = stub.requests("POST", "/api/v1/deployments/" + GOOD + "/approve");
            assertThat(approvals).hasSize(1);
            JsonNode approver = TokenCommandTest.verify(approvals.get(0).header("Authorization")
                    .substring("Bearer ".length()), publicKey);
            JsonNode requester = TokenCommandTest.verify(stub.requests("POST", "/api/v1/deployments").get(0)
                    .header("Authorization").substring("Bearer ".length()), publicKey);
            assertThat(requester.path("sub").asText()).isEqualTo("demo");
            assertThat(TokenCommandTest.texts(requester.path("services"))).as("scope fails closed: the story names "
                    + "every service").containsExactly("*");
            assertThat(approver.path("sub").asText()).as("deploy-service refuses a self-approval")
                    .isEqualTo("demo-oncall");
            assertThat(TokenCommandTest.texts(approver.path("groups"))).containsExactly("operator");
            assertThat(run.out()).contains("(as demo-oncall: the requester may not approve its own deployment)");
        }
    }
}
