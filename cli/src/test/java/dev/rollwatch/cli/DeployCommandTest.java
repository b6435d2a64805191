package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.commands.DeployCommand;
import dev.rollwatch.cli.http.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DeployCommandTest {

    static final String CREATED = "{\"id\":\"5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97\",\"status\":\"PENDING\"}";

    @Test
    void yamlFileIsPostedAsTheSameJsonBody() throws Exception {
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments", 202, CREATED)) {
            StubServer.Run run = StubServer.run(stub.url(), "deploy", "-f", "examples/checkout-canary.yaml");

            assertThat(run.exitCode()).isEqualTo(0);
            assertThat(run.out().strip()).isEqualTo("5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97");
            StubServer.Request sent = stub.requests("POST", "/api/v1/deployments").get(0);
            assertThat(sent.header("Content-Type")).isEqualTo("application/json");
            JsonNode body = ApiClient.JSON.readTree(sent.body());
            JsonNode expected = ApiClient.JSON.readTree("""
                    {"service": "checkout", "environment": "production", "version": "2.4.0",
                     "target": {"type": "http", "url": "http://127.0.0.1:8090",
                                "metricsUrl": "http://127.0.0.1:8090/metrics"},
                     "strategy": {"steps": [
                        {"setWeight": 5},
                        {"smoke": {"checks": [{"url": "http://127.0.0.1:8090/health", "expectStatus": 200}]}},
                        {"analysis": {"duration": "30s"}},
                        {"setWeight": 25},
                        {"analysis": {"duration": "30s"}},
                        {"pause": {}},
                        {"setWeight": 100}]},
                     "analysis": {"checks": [
                        {"name": "error-rate", "provider": "scrape", "metric": "error_rate", "max": 0.01,
                         "interval": "5s", "failureLimit": 2, "severity": "P1"},
                        {"name": "latency-p95", "provider": "scrape", "metric": "latency_p95", "max": 0.5,
                         "interval": "5s", "failureLimit": 2, "severity": "P2"}]}}""");
            assertThat(body).isEqualTo(expected);
        }
    }

    @Test
    void theRunbookFieldsArePassedThroughAsWritten() throws Exception {
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments", 202, CREATED)) {
            StubServer.Run run = StubServer.run(stub.url(), "deploy", "-f", "examples/checkout-runbook.yaml");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
            JsonNode body = ApiClient.JSON.readTree(stub.requests("POST", "/api/v1/deployments").get(0).body());
            JsonNode strategy = body.path("strategy");
            assertThat(strategy.path("onFailure").asText()).isEqualTo("stepBack");
            assertThat(strategy.path("afterStepBack").asText()).isEqualTo("pause");
            assertThat(body.path("bakeWindow").asText()).isEqualTo("10m");
            assertThat(strategy.path("steps").get(0)).isEqualTo(ApiClient.JSON.readTree("""
                    {"smoke": {"checks": [{"url": "http://127.0.0.1:8090/health?version=2.4.0", "expectStatus": 200,
                                           "expectJson": {"/status": "UP"}}]}}"""));
            assertThat(strategy.path("steps").get(2)).isEqualTo(ApiClient.JSON.readTree("""
                    {"analysis": {"duration": "30s", "criteria": [
                      {"name": "canary-error-rate", "provider": "scrape", "metric": "error_rate", "max": 0.005,
                       "interval": "5s", "failureLimit": 2}]}}"""));
            assertThat(body.has("override")).as("commented out in the example").isFalse();
        }
    }

    @Test
    void jsonFileIdempotencyKeyAndTokenAreSent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.json");
        Files.writeString(file, "{\"service\": \"orders\", \"environment\": \"staging\", \"version\": \"1.0.1\","
                + " \"target\": {\"url\": \"http://127.0.0.1:8090\"}}");
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments", 202, CREATED)) {
            StubServer.Run run = StubServer.run(stub.url(), "deploy", "-f", file.toString(), "--idempotency-key",
                    "build-77", "--token", "s3cret");

            assertThat(run.exitCode()).isEqualTo(0);
            StubServer.Request sent = stub.requests("POST", "/api/v1/deployments").get(0);
            assertThat(sent.header("Idempotency-Key")).isEqualTo("build-77");
            assertThat(sent.header("Authorization")).isEqualTo("Bearer s3cret");
            assertThat(ApiClient.JSON.readTree(sent.body()).path("version").asText()).isEqualTo("1.0.1");
        }
    }

    @Test
    void noTokenNoAuthorizationHeader() throws Exception {
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments", 202, CREATED)) {
            StubServer.run(stub.url(), "deploy", "-f", "examples/checkout-canary.yaml");
            assertThat(stub.requests.get(0).header("Authorization")).isNull();
        }
    }

    @Test
    void invalidYamlIsAUsageErrorAndNothingIsSent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "service: [checkout\n");
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments", 202, CREATED)) {
            StubServer.Run run = StubServer.run(stub.url(), "deploy", "-f", file.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("error: " + file + " is not valid YAML");
            assertThat(stub.requests).isEmpty();
        }
    }

    @Test
    void aYamlListIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeployCommand.parse("- a\n- b\n", "x.yaml"))
                .hasMessageContaining("a deployment is a mapping");
    }

    @Test
    void problemJsonIsPrintedAsTitleAndDetailWithExit1() throws Exception {
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments", 409, """
                {"type": "https://rollwatch.dev/problems/deployment-in-progress", "title": "Deployment in progress",
                 "status": 409, "detail": "checkout/production already has deployment 11aa running",
                 "runningDeploymentId": "11aa"}""")) {
            StubServer.Run run = StubServer.run(stub.url(), "deploy", "-f", "examples/checkout-canary.yaml");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("error: Deployment in progress: checkout/production already has "
                    + "deployment 11aa running").contains("runningDeploymentId: 11aa");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void validationErrorsAreListed() throws Exception {
        try (StubServer stub = new StubServer().json("POST /api/v1/deployments", 400, """
                {"type": "https://rollwatch.dev/problems/validation", "title": "Invalid request", "status": 400,
                 "detail": "2 constraint violation(s)",
                 "errors": [{"field": "version", "message": "must not be blank"},
                            {"field": "target.url", "message": "must be an http(s) URL"}]}""")) {
            StubServer.Run run = StubServer.run(stub.url(), "deploy", "-f", "examples/checkout-canary.yaml");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("""
                    error: Invalid request: 2 constraint violation(s)
                      - version: must not be blank
                      - target.url: must be an http(s) URL
                    """);
        }
    }

    @Test
    void anUnreachableServiceIsARequestError() {
        StubServer.Run run = StubServer.run("http://127.0.0.1:1", "list");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: cannot reach http://127.0.0.1:1");
    }

    @Test
    void aBadOptionIsAUsageErrorWithExit1() {
        StubServer.Run run = StubServer.run("http://127.0.0.1:1", "watch");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Missing required parameter: 'ID'");
    }
}
