package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.http.ApiClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's part in the runbooks' judgement: answering a CONDITIONAL decision (decide), acknowledging one
 * (ack), a manual rollback to a named version, and what 'decisions' shows about a decision waiting for someone.
 */
class DecisionCommandsTest {

    static final String DECISION = "7d2f1c3a-0000-4000-8000-000000000001";
    static final String DEPLOYMENT = "5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97";
    static final String CONDITIONAL = """
            {"id": "%s", "deploymentId": "%s", "decidedAt": "2026-12-04T16:00:00Z", "action": "CONDITIONAL",
             "rule": "p1-conditional", "severity": "P1", "check": "error-rate", "trigger": "AUTOMATIC",
             "reason": "P1 breach of error-rate: error_rate 0.021 > 0.01", "respondBy": "2026-12-04T16:15:00Z",
             "decideBy": "2026-12-04T16:15:00Z", "deciders": "operator", "defaultAction": "ROLLBACK",
             "policyPack": "runbook@1", "seedRule": "002 P1 (High) < 15 min: Rollback if no quick fix"}"""
            .formatted(DECISION, DEPLOYMENT);

    @Test
    void decideRollbackResolvesTheConditionalDecisionWithTheReason() throws IOException {
        try (StubServer stub = new StubServer().json("POST /api/v1/decisions/" + DECISION + "/resolve", 200,
                "{\"id\": \"" + DECISION + "\", \"action\": \"ROLLBACK\", \"status\": \"REQUESTED\","
                        + " \"resolvedBy\": \"alice\"}")) {
            StubServer.Run run = StubServer.run(stub.url(), "decide", DECISION, "rollback", "--reason",
                    "no quick fix in sight");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(body(stub, "/api/v1/decisions/" + DECISION + "/resolve")).isEqualTo(ApiClient.JSON.readTree(
                    "{\"action\": \"ROLLBACK\", \"reason\": \"no quick fix in sight\"}"));
            assertThat(run.out()).contains("decision " + DECISION + " resolved: ROLLBACK (by alice, decision now "
                    + "ROLLBACK, status REQUESTED)");
        }
    }

    @Test
    void decideHoldIsAcceptedInAnyCaseAndAnythingElseIsAUsageError() throws IOException {
        try (StubServer stub = new StubServer().json("POST /api/v1/decisions/" + DECISION + "/resolve", 200,
                "{\"id\": \"" + DECISION + "\", \"action\": \"HOLD\"}")) {
            assertThat(StubServer.run(stub.url(), "decide", DECISION, "HOLD", "--reason", "hotfix coming")
                    .exitCode()).isZero();
            assertThat(body(stub, "/api/v1/decisions/" + DECISION + "/resolve").path("action").asText())
                    .isEqualTo("HOLD");

            StubServer.Run maybe = StubServer.run(stub.url(), "decide", DECISION, "maybe", "--reason", "x");
            StubServer.Run noReason = StubServer.run(stub.url(), "decide", DECISION, "rollback");

            assertThat(maybe.exitCode()).isEqualTo(1);
            assertThat(maybe.err()).contains("rollback, hold");
            assertThat(noReason.exitCode()).isEqualTo(1);
            assertThat(noReason.err()).contains("--reason");
            assertThat(stub.requests).as("nothing sent for a usage error").hasSize(1);
        }
    }

    @Test
    void aDecisionNoLongerOpenPrintsTheServersProblemAndExits1() throws IOException {
        try (StubServer stub = new StubServer().json("POST /api/v1/decisions/" + DECISION + "/resolve", 409, """
                {"type": "https://rollwatch.dev/problems/decision-not-open", "title": "Conflict", "status": 409,
                 "detail": "the decision's default action ROLLBACK was taken at its deadline"}""")) {
            StubServer.Run run = StubServer.run(stub.url(), "decide", DECISION, "hold", "--reason", "too late");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("error: Conflict: the decision's default action ROLLBACK was taken at its "
                    + "deadline");
        }
    }

    @Test
    void ackAcknowledgesWithoutChoosing() throws IOException {
        try (StubServer stub = new StubServer().json("POST /api/v1/decisions/" + DECISION + "/acknowledge", 200,
                "{\"id\": \"" + DECISION + "\", \"action\": \"CONDITIONAL\", \"acknowledgedBy\": \"bob\","
                        + " \"acknowledgedAt\": \"2026-12-04T16:03:00Z\"}")) {
            StubServer.Run run = StubServer.run(stub.url(), "ack", DECISION, "--token", "tok-ops");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(body(stub, "/api/v1/decisions/" + DECISION + "/acknowledge"))
                    .isEqualTo(ApiClient.JSON.createObjectNode());
            assertThat(stub.requests.get(0).header("Authorization")).isEqualTo("Bearer tok-ops");
            assertThat(run.out()).contains("decision " + DECISION + " acknowledged (by bob, at 2026-12-04T16:03:00Z, "
                    + "decision now CONDITIONAL)");
        }
    }

    @Test
    void rollbackToANamedVersionSendsItInTheBody() throws IOException {
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments/" + DEPLOYMENT + "/rollback", 202,
                "{\"id\": \"d9\", \"fromVersion\": \"2.6.0\", \"toVersion\": \"2.4.0\", \"status\": \"REQUESTED\"}")) {
            StubServer.Run run = StubServer.run(stub.url(), "rollback", DEPLOYMENT, "--reason", "2.5.x leaks too",
                    "--to-version", "2.4.0");
            StubServer.Run blank = StubServer.run(stub.url(), "rollback", DEPLOYMENT, "--reason", "x",
                    "--to-version", " ");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(body(stub, "/api/v1/deployments/" + DEPLOYMENT + "/rollback")).isEqualTo(
                    ApiClient.JSON.readTree("{\"reason\": \"2.5.x leaks too\", \"toVersion\": \"2.4.0\"}"));
            assertThat(run.out()).contains("rollback requested: decision d9, 2.6.0 -> 2.4.0 (REQUESTED)");
            assertThat(blank.exitCode()).isEqualTo(1);
            assertThat(stub.requests).hasSize(1);
        }
    }

    @Test
    void decisionsShowWhoMustDecideAConditionalOneByWhenAndTheRunbookRuleBehindEach() throws IOException {
        String rollback = """
                {"id": "7d2f1c3a-0000-4000-8000-000000000002", "deploymentId": "%s",
                 "decidedAt": "2026-12-04T16:15:00Z", "action": "ROLLBACK", "rule": "p1-conditional",
                 "severity": "P1", "trigger": "AUTOMATIC", "status": "COMPLETED",
                 "reason": "nobody decided by 2026-12-04T16:15:00Z: default ROLLBACK",
                 "relatedDecision": "%s"}""".formatted(DEPLOYMENT, DECISION);
        try (StubServer stub = new StubServer().json("GET /api/v1/decisions", 200,
                "{\"items\": [" + rollback + ", " + CONDITIONAL + "], \"page\": 0, \"size\": 200, \"total\": 2}")) {
            StubServer.Run run = StubServer.run(stub.url(), "decisions", DEPLOYMENT);

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out())
                    .contains("ID ", "RESPOND BY", "CONDITIONAL", DECISION, "2026-12-04T16:15:00Z")
                    .contains("CONDITIONAL " + DECISION + ": operator decides by 2026-12-04T16:15:00Z; if nobody "
                            + "does, ROLLBACK (respond by 2026-12-04T16:15:00Z)")
                    .contains("  answer: rollwatch decide " + DECISION + " rollback|hold --reason TEXT;  rollwatch ack "
                            + DECISION)
                    .contains("rule p1-conditional (runbook@1) encodes runbook 002 P1 (High) < 15 min: Rollback if "
                            + "no quick fix");
            assertThat(stub.requests.get(0).query()).contains("deploymentId=" + DEPLOYMENT);
        }
    }

    private static JsonNode body(StubServer stub, String path) throws IOException {
        return ApiClient.JSON.readTree(stub.requests("POST", path).get(0).body());
    }
}
