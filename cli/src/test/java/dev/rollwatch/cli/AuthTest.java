package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.auth.KeyFiles;
import dev.rollwatch.cli.http.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bearer token on every kind of request, the actor no longer in any body, and what 401/403 print. */
class AuthTest {

    static final String ID = "5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97";
    static final String DEPLOYMENT = "{\"id\":\"" + ID + "\",\"service\":\"checkout\",\"version\":\"2.4.0\","
            + "\"status\":\"RUNNING\",\"currentWeight\":5}";
    static final String UNAUTHORIZED = """
            {"type": "https://rollwatch.dev/problems/unauthorized", "title": "Unauthorized", "status": 401,
             "detail": "a valid bearer token is required"}""";
    static final String FORBIDDEN = """
            {"type": "https://rollwatch.dev/problems/forbidden", "title": "Forbidden", "status": 403,
             "detail": "this token does not allow acting on service 'checkout'"}""";

    @Test
    void theAuthorizationHeaderReachesTheServerOnEveryKindOfRequest() throws IOException {
        try (StubServer stub = new StubServer()
                .json("POST /api/v1/deployments/" + ID + "/approve", 200, DEPLOYMENT)
                .json("POST /api/v1/deployments/" + ID + "/rollback", 202,
                        "{\"id\":\"d1\",\"fromVersion\":\"2.4.0\",\"toVersion\":\"2.3.0\",\"status\":\"REQUESTED\"}")
                .json("GET /api/v1/deployments", 200, "{\"items\":[],\"total\":0,\"page\":0}")
                .on("GET /api/v1/audit/events/stream", (ex, r) -> StubServer.send(ex, 200, "application/x-ndjson",
                        "{\"position\":1}\n"))) {
            assertThat(StubServer.run(stub.url(), "--token", "tok-1", "approve", ID, "--reason", "fine").exitCode())
                    .isEqualTo(0);
            assertThat(StubServer.run(stub.url(), "rollback", ID, "--reason", "bad", "--token", "tok-1").exitCode())
                    .isEqualTo(0);
            assertThat(StubServer.run(stub.url(), "list", "--token", "tok-1").exitCode()).isEqualTo(0);
            assertThat(StubServer.run(stub.url(), "export", "--token", "tok-1").exitCode()).isEqualTo(0);

            assertThat(stub.requests).hasSize(4);
            assertThat(stub.requests).allSatisfy(r -> assertThat(r.header("Authorization")).as(r.path())
                    .isEqualTo("Bearer tok-1"));
        }
    }

    @Test
    void noBodyNamesWhoActsAnyMore() throws IOException {
        try (StubServer stub = new StubServer()
                .json("POST /api/v1/deployments/" + ID + "/approve", 200, DEPLOYMENT)
                .json("POST /api/v1/deployments/" + ID + "/promote", 200, DEPLOYMENT)
                .json("POST /api/v1/deployments/" + ID + "/rollback", 202, "{\"id\":\"d1\"}")) {
            StubServer.run(stub.url(), "approve", ID, "--reason", "dashboards look fine");
            StubServer.run(stub.url(), "promote", ID);
            StubServer.run(stub.url(), "rollback", ID, "--reason", "p99 up");

            assertThat(body(stub, "approve")).isEqualTo(ApiClient.JSON.readTree(
                    "{\"reason\": \"dashboards look fine\"}"));
            assertThat(body(stub, "promote")).isEqualTo(ApiClient.JSON.createObjectNode());
            assertThat(body(stub, "rollback")).isEqualTo(ApiClient.JSON.readTree("{\"reason\": \"p99 up\"}"));
        }
    }

    @Test
    void theOldByOptionIsRefusedWithWhatToDoInstead() throws IOException {
        try (StubServer stub = new StubServer()) {
            StubServer.Run run = StubServer.run(stub.url(), "abort", ID, "--by", "alice");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("--by is gone").contains("--subject alice");
            assertThat(stub.requests).isEmpty();
        }
    }

    @Test
    void a401PrintsTheProblemAndHowToGetATokenExit1() throws IOException {
        try (StubServer stub = new StubServer().json("GET /api/v1/deployments", 401, UNAUTHORIZED)) {
            StubServer.Run none = StubServer.run(stub.url(), "list");
            assertThat(none.exitCode()).isEqualTo(1);
            assertThat(none.err()).startsWith("error: Unauthorized: a valid bearer token is required\n")
                    .contains("no token was sent")
                    .contains("mint one: ./rollwatch token --role deployer --service <name>");

            StubServer.Run refused = StubServer.run(stub.url(), "list", "--token", "expired");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).startsWith("error: Unauthorized: a valid bearer token is required\n")
                    .contains("the token was refused")
                    .contains("mint one: ./rollwatch token --role deployer --service <name>")
                    .doesNotContain("expired\n");
        }
    }

    @Test
    void a403OnTheLiveStreamAndTheAuditStreamPrintsTheProblemAndTheHint() throws IOException {
        try (StubServer stub = new StubServer()
                .json("GET /api/v1/deployments/" + ID + "/events", 403, FORBIDDEN)
                .json("GET /api/v1/audit/events/stream", 403, FORBIDDEN)) {
            StubServer.Run watch = StubServer.run(stub.url(), "watch", ID, "--token", "t");
            assertThat(watch.exitCode()).isEqualTo(1);
            assertThat(watch.err()).startsWith("error: Forbidden: this token does not allow acting on service "
                    + "'checkout'\n").contains("lacks the role or the service")
                    .contains("./rollwatch token --role deployer --service <name>");

            StubServer.Run export = StubServer.run(stub.url(), "export", "--token", "t");
            assertThat(export.exitCode()).isEqualTo(1);
            assertThat(export.err()).startsWith("error: Forbidden: ").contains("./rollwatch token --role");
        }
    }

    @Test
    void theDemoMintsItsOwnTokenFromAKeyUnlessItIsGivenOne(@TempDir Path dir) throws Exception {
        TokenCommandTest.cli("keys", "--dir", dir.toString());
        String key = dir.resolve("jwt-private.pem").toString();
        try (StubServer stub = new StubServer().json("GET /api/v1/deployments", 401, UNAUTHORIZED)) {
            StubServer.Run minted = StubServer.run(stub.url(), "demo", "--key", key, "--target-url", stub.url());
            assertThat(minted.exitCode()).isEqualTo(1);
            String sent = stub.requests.get(0).header("Authorization");
            assertThat(sent).startsWith("Bearer ");
            JsonNode claims = TokenCommandTest.verify(sent.substring("Bearer ".length()),
                    KeyFiles.readPublicKey(dir.resolve("jwt-public.pem")));
            assertThat(claims.path("sub").asText()).isEqualTo("demo");
            assertThat(TokenCommandTest.texts(claims.path("groups")))
                    .containsExactly("deployer", "operator", "auditor", "admin");
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);

            stub.requests.clear();
            StubServer.run(stub.url(), "demo", "--key", key, "--token", "given", "--target-url", stub.url());
            assertThat(stub.requests.get(0).header("Authorization")).isEqualTo("Bearer given");
        }
    }

    private static JsonNode body(StubServer stub, String action) throws IOException {
        return ApiClient.JSON.readTree(stub.requests("POST", "/api/v1/deployments/" + ID + "/" + action).get(0).body());
    }
}
