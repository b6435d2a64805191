package dev.rollwatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCommandsTest {

    static final String TIMELINE = """
            {"deploymentId": "d1", "events": [
              {"position": 41, "id": "e1", "type": "dev.rollwatch.deployment.started.v1",
               "source": "/rollwatch/deploy-service", "time": "2026-11-22T08:00:00.100Z"},
              {"position": 45, "id": "e2", "type": "dev.rollwatch.threshold.breached.v1",
               "source": "/rollwatch/monitor-service", "time": "2026-11-22T08:00:12.300Z"},
              {"position": 46, "id": "e3", "type": "dev.rollwatch.rollback.requested.v1",
               "source": "/rollwatch/rollback-service", "time": "2026-11-22T08:00:12.350Z", "causationId": "e2",
               "causedByPosition": 45, "causedByType": "dev.rollwatch.threshold.breached.v1"}],
             "rollbacks": [{
               "breaches": [{"eventId": "e2", "position": 45, "check": "error-rate", "metric": "error_rate",
                             "observed": [0.0831, 0.0702], "threshold": 0.01, "operator": "GT", "severity": "P1",
                             "observedAt": "2026-11-22T08:00:12.250Z"}],
               "decision": {"eventId": "e3", "position": 46, "time": "2026-11-22T08:00:12.350Z",
                            "trigger": "AUTOMATIC", "reason": "P1 breach of error-rate", "policyRule": "p1-immediate",
                            "policyVersion": 1, "fromVersion": "2.5.0-bad", "toVersion": "2.4.0"},
               "rollback": {"eventId": "e4", "position": 48, "time": "2026-11-22T08:00:12.500Z",
                            "outcome": "SUCCEEDED", "toVersion": "2.4.0"},
               "finished": {"eventId": "e5", "position": 49, "time": "2026-11-22T08:00:12.520Z",
                            "outcome": "ROLLED_BACK"},
               "notifications": [{"eventId": "e6", "position": 50, "time": "2026-11-22T08:00:13Z",
                                  "type": "dev.rollwatch.notification.delivered.v1", "channel": "log",
                                  "status": "DELIVERED", "attempts": 1, "aboutEventId": "e3"}],
               "durations": {"breachToDecisionMs": 100, "decisionToRollbackDoneMs": 150,
                             "breachToRollbackDoneMs": 250}}]}""";

    @Test
    void timelineShowsTheCausalChainWithMeasuredValueThresholdAndDurations() throws IOException {
        try (StubServer stub = new StubServer().json("GET /api/v1/audit/deployments/d1/timeline", 200, TIMELINE)) {
            StubServer.Run run = StubServer.run(stub.url(), "timeline", "d1");

            assertThat(run.exitCode()).isEqualTo(0);
            assertThat(run.out()).contains(
                    "#46     08:00:12.350  rollback.requested           rollback-service  <- threshold.breached #45",
                    "  breach    08:00:12.250  check error-rate (P1): error_rate measured 0.0831, 0.0702 > threshold 0.01",
                    "  decision  08:00:12.350  AUTOMATIC p1-immediate (policy v1): 2.5.0-bad -> 2.4.0 | P1 breach of error-rate",
                    "  rollback  08:00:12.500  SUCCEEDED, target back on 2.4.0",
                    "  finished  08:00:12.520  ROLLED_BACK",
                    "  notified  08:00:13.000  channel log: DELIVERED (about rollback.requested, 1 attempt)",
                    "  detection to rollback done: 250 ms (breach -> decision 100 ms, decision -> rollback done 150 ms)");
        }
    }

    @Test
    void verifyExits0WhenIntactAnd4WhenBroken() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.json("GET /api/v1/audit/verify", 200, "{\"valid\": true, \"from\": 1, \"to\": 2053, \"entries\": 2053,"
                    + " \"checkpoints\": 3, \"headHash\": \"d791aa00112233445566\"}");
            StubServer.Run ok = StubServer.run(stub.url(), "verify");
            assertThat(ok.exitCode()).isEqualTo(0);
            assertThat(ok.out()).startsWith("audit log intact: 2053 entries (positions 1..2053), 3 signed checkpoint(s)");

            stub.json("GET /api/v1/audit/verify", 200, "{\"valid\": false, \"from\": 1, \"to\": 2053, \"entries\": 2045,"
                    + " \"checkpoints\": 1, \"firstBadPosition\": 2046,"
                    + " \"reason\": \"entry_hash does not match the stored bytes\"}");
            StubServer.Run broken = StubServer.run(stub.url(), "verify", "--from", "1");
            assertThat(broken.exitCode()).isEqualTo(4);
            assertThat(broken.out()).startsWith("audit log BROKEN at position 2046: entry_hash does not match the "
                    + "stored bytes");
            assertThat(stub.requests.get(1).query()).isEqualTo("from=1");
        }
    }

    @Test
    void exportWritesTheNdjsonLinesToTheFileWithoutHeartbeats(@TempDir Path dir) throws IOException {
        String ndjson = "{\"position\":1}\n\n{\"position\":2}\n";
        try (StubServer stub = new StubServer().on("GET /api/v1/audit/events/stream",
                (ex, r) -> StubServer.send(ex, 200, "application/x-ndjson", ndjson))) {
            Path file = dir.resolve("audit.ndjson");

            StubServer.Run run = StubServer.run(stub.url(), "export", "--deployment", "d1", "-o", file.toString());

            assertThat(run.exitCode()).isEqualTo(0);
            assertThat(Files.readAllLines(file)).containsExactly("{\"position\":1}", "{\"position\":2}");
            assertThat(run.out()).isEqualTo("exported 2 entries to " + file + "\n");
            assertThat(stub.requests.get(0).query()).isEqualTo("deploymentId=d1");
            assertThat(stub.requests.get(0).header("Accept")).isEqualTo("application/x-ndjson");
        }
    }

    @Test
    void replayWaitsUntilCompleted() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.json("POST /api/v1/audit/replays", 202, "{\"id\": \"r1\", \"status\": \"PENDING\", \"total\": 8,"
                    + " \"published\": 0, \"destination\": \"forensics\"}");
            stub.json("GET /api/v1/audit/replays/r1", 200, "{\"id\": \"r1\", \"status\": \"COMPLETED\", \"total\": 8,"
                    + " \"published\": 8, \"destination\": \"forensics\"}");

            StubServer.Run run = StubServer.run(stub.url(), "replay", "--deployment", "d1", "--destination",
                    "forensics", "--wait");

            assertThat(run.exitCode()).isEqualTo(0);
            assertThat(run.out()).contains("replay r1 COMPLETED: 8/8 published to forensics");
            assertThat(stub.requests.get(0).body()).contains("\"deploymentId\":\"d1\"")
                    .contains("\"destination\":\"forensics\"");
        }
    }

    @Test
    void listPrintsATable() throws IOException {
        try (StubServer stub = new StubServer().json("GET /api/v1/deployments", 200, """
                {"items": [{"id": "d1", "service": "checkout", "environment": "production", "version": "2.4.0",
                            "status": "RUNNING", "currentStep": 1, "currentWeight": 5,
                            "createdAt": "2026-11-22T08:00:00Z"}], "page": 0, "size": 5, "total": 7}""")) {
            StubServer.Run run = StubServer.run(stub.url(), "list", "--service", "checkout", "--size", "5");

            assertThat(run.out()).isEqualTo("""
                    ID  SERVICE   ENVIRONMENT  VERSION  STATUS   STEP  WEIGHT  CREATED
                    d1  checkout  production   2.4.0    RUNNING  2     5%      2026-11-22T08:00:00Z
                    1 of 7 (page 0)
                    """);
            assertThat(stub.requests.get(0).query()).isEqualTo("service=checkout&page=0&size=5");
        }
    }
}
