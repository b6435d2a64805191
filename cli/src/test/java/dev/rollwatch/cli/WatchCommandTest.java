package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.rollwatch.cli.http.ApiClient;
import dev.rollwatch.cli.watch.DeploymentWatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class WatchCommandTest {

    static final String PATH = "/api/v1/deployments/" + Snapshots.ID;

    @ParameterizedTest
    @CsvSource({"SUCCEEDED, 0", "ROLLED_BACK, 2", "FAILED, 3", "ROLLBACK_FAILED, 3", "ABORTED, 3"})
    void exitCodeOfEachTerminalStatusWhenPolling(String status, int exitCode) throws IOException {
        try (StubServer stub = new StubServer()) {
            AtomicInteger gets = new AtomicInteger();
            stub.on("GET " + PATH, (ex, r) -> StubServer.send(ex, 200, "application/json",
                    (gets.incrementAndGet() < 3 ? Snapshots.deployment("RUNNING", 5, "SUCCEEDED", "RUNNING")
                            : Snapshots.deployment(status, 0, "SUCCEEDED", "SUCCEEDED")).toString()));
            // no "GET .../events" route: the stub answers 404, as a deploy service without the live stream does

            StubServer.Run run = StubServer.run(stub.url(), "watch", Snapshots.ID);

            assertThat(run.exitCode()).isEqualTo(exitCode);
            assertThat(run.out()).contains("checkout 2.4.0 " + status).contains("(exit " + exitCode + ")");
            assertThat(gets.get()).isEqualTo(3);
            assertThat(stub.requests("GET", PATH + "/events")).hasSize(1);
        }
    }

    @ParameterizedTest
    @CsvSource({"SUCCEEDED, 0", "ROLLED_BACK, 2", "FAILED, 3", "ROLLBACK_FAILED, 3", "ABORTED, 3"})
    void exitCodeOfEachTerminalStatusWhenStreaming(String status, int exitCode) throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.on("GET " + PATH + "/events", (ex, r) -> stream(ex, List.of(
                    Snapshots.deployment("RUNNING", 0, "RUNNING"),
                    Snapshots.deployment("RUNNING", 5, "SUCCEEDED", "RUNNING"),
                    Snapshots.deployment(status, 0, "SUCCEEDED", "SUCCEEDED")), false));

            StubServer.Run run = StubServer.run(stub.url(), "watch", Snapshots.ID);

            assertThat(run.exitCode()).isEqualTo(exitCode);
            assertThat(run.out()).contains("> step 1/5  setWeight 5%     started")
                    .contains("ok step 1/5  setWeight 5%     SUCCEEDED")
                    .contains("[####....................] 1/5 steps | weight 5% | RUNNING")
                    .contains("checkout 2.4.0 " + status);
            assertThat(stub.requests("GET", PATH)).as("a stream needs no polling").isEmpty();
        }
    }

    @Test
    void theStreamedSnapshotsArriveInOrderWithTheBearerToken() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.on("GET " + PATH + "/events", (ex, r) -> stream(ex, List.of(
                    Snapshots.deployment("RUNNING", 0, "RUNNING"),
                    Snapshots.deployment("ROLLING_BACK", 5, "SUCCEEDED", "ABORTED"),
                    Snapshots.deployment("ROLLED_BACK", 0, "SUCCEEDED", "ABORTED")), false));
            List<String> seen = new CopyOnWriteArrayList<>();
            DeploymentWatcher.Result result = new DeploymentWatcher(new ApiClient("t0k"), stub.url(),
                    Duration.ofMillis(50), d -> seen.add(d.path("status").asText())).watch(Snapshots.ID, null);

            assertThat(seen).containsExactly("RUNNING", "ROLLING_BACK", "ROLLED_BACK");
            assertThat(result.streamed()).isTrue();
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(stub.requests.get(0).header("Accept")).isEqualTo("text/event-stream");
            assertThat(stub.requests.get(0).header("Authorization")).isEqualTo("Bearer t0k");
        }
    }

    @Test
    void aStreamThatEndsBeforeTheEndIsContinuedByPolling() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.on("GET " + PATH + "/events", (ex, r) -> stream(ex,
                    List.of(Snapshots.deployment("RUNNING", 5, "SUCCEEDED", "RUNNING")), false));
            stub.json("GET " + PATH, 200, Snapshots.deployment("SUCCEEDED", 100, "SUCCEEDED", "SUCCEEDED").toString());

            StubServer.Run run = StubServer.run(stub.url(), "watch", Snapshots.ID);

            assertThat(run.exitCode()).isEqualTo(0);
            assertThat(stub.requests("GET", PATH)).hasSize(1);
        }
    }

    @Test
    void methodNotAllowedOnTheStreamAlsoFallsBackToPolling() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.json("GET " + PATH + "/events", 405, "");
            stub.json("GET " + PATH, 200, Snapshots.deployment("ROLLED_BACK", 0, "SUCCEEDED", "ABORTED").toString());

            assertThat(StubServer.run(stub.url(), "watch", Snapshots.ID).exitCode()).isEqualTo(2);
        }
    }

    @Test
    void anUnknownDeploymentIsARequestError() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.json("GET " + PATH, 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no deployment "
                    + Snapshots.ID + "\"}");

            StubServer.Run run = StubServer.run(stub.url(), "watch", Snapshots.ID);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("error: Not Found: no deployment " + Snapshots.ID + "\n");
        }
    }

    @Test
    void timeoutWhilePollingExits5() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.json("GET " + PATH, 200, Snapshots.deployment("AWAITING_APPROVAL", 25, "SUCCEEDED").toString());
            long start = System.nanoTime();

            StubServer.Run run = StubServer.run(stub.url(), "watch", Snapshots.ID, "--timeout", "1s");

            assertThat(run.exitCode()).isEqualTo(5);
            assertThat(run.out()).contains("timeout: still AWAITING_APPROVAL after 1s (exit 5)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void timeoutWhileAStreamIsSilentExits5() throws IOException {
        try (StubServer stub = new StubServer()) {
            stub.on("GET " + PATH + "/events", (ex, r) -> stream(ex,
                    List.of(Snapshots.deployment("RUNNING", 5, "SUCCEEDED", "RUNNING")), true));
            long start = System.nanoTime();

            StubServer.Run run = StubServer.run(stub.url(), "--output", "json", "watch", Snapshots.ID, "--timeout",
                    "1500ms");

            assertThat(run.exitCode()).isEqualTo(5);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
            JsonNode line = ApiClient.JSON.readTree(run.out().lines().findFirst().orElseThrow());
            assertThat(line.path("status").asText()).as("json output: one snapshot per line").isEqualTo("RUNNING");
        }
    }

    /** Writes each snapshot as an SSE {@code deployment} event; {@code hang}: then keeps the stream open. */
    static void stream(HttpExchange ex, List<JsonNode> snapshots, boolean hang) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        try {
            out.write(": hello\n\n".getBytes(StandardCharsets.UTF_8));
            for (JsonNode s : snapshots) {
                out.write(("event: deployment\ndata: " + s + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(20);
            }
            if (hang) {
                Thread.sleep(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (its timeout)
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // the client went away
            }
        }
    }
}
