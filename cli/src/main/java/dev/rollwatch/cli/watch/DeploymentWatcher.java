package dev.rollwatch.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.http.ApiClient;
import dev.rollwatch.cli.http.ApiException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Follows one deployment until a terminal state: the deploy service's live stream
 * ({@code GET /api/v1/deployments/{id}/events}, {@code text/event-stream}, one {@code deployment} event per
 * change), or, where the server has no stream (404, 405, 406, 501 or not an event stream), polling
 * {@code GET /api/v1/deployments/{id}} every {@code pollInterval}. A stream that ends before a terminal state
 * is continued by polling. Each snapshot goes to {@code onSnapshot}.
 */
public final class DeploymentWatcher {

    /** How the watch ended: the last snapshot, whether the timeout cut it short, and which way it was followed. */
    public record Result(JsonNode last, boolean timedOut, boolean streamed) {

        public String status() {
            return last == null ? null : last.path("status").asText();
        }

        public int exitCode() {
            return timedOut ? ExitCodes.TIMEOUT : ExitCodes.forStatus(status());
        }
    }

    private final ApiClient api;
    private final String deployUrl;
    private final Duration pollInterval;
    private final Consumer<JsonNode> onSnapshot;
    private final Predicate<JsonNode> stopWhen;

    public DeploymentWatcher(ApiClient api, String deployUrl, Duration pollInterval, Consumer<JsonNode> onSnapshot) {
        this(api, deployUrl, pollInterval, onSnapshot, d -> false);
    }

    /** {@code stopWhen}: also stop watching (not timed out) at a snapshot that matches, terminal or not. */
    public DeploymentWatcher(ApiClient api, String deployUrl, Duration pollInterval, Consumer<JsonNode> onSnapshot,
            Predicate<JsonNode> stopWhen) {
        this.api = api;
        this.deployUrl = ApiClient.stripSlash(deployUrl);
        this.pollInterval = pollInterval;
        this.onSnapshot = onSnapshot;
        this.stopWhen = stopWhen;
    }

    private boolean done(JsonNode snapshot) {
        return snapshot != null && (ExitCodes.isTerminal(snapshot.path("status").asText()) || stopWhen.test(snapshot));
    }

    /** Follows until a terminal state, or until {@code timeout} (null: no limit). */
    public Result watch(String id, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Stream stream = followStream(id, deadline);
        if (done(stream.last)) {
            return new Result(stream.last, false, true);
        }
        if (System.nanoTime() >= deadline) {
            return new Result(stream.last, true, stream.opened);
        }
        return poll(id, deadline, stream.last, stream.opened);
    }

    private static final class Stream {
        JsonNode last;
        boolean opened;
    }

    private Stream followStream(String id, long deadline) {
        Stream result = new Stream();
        HttpResponse<InputStream> response = api.stream(deployUrl + "/api/v1/deployments/" + id + "/events",
                "text/event-stream");
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status == 404 || status == 405 || status == 406 || status == 501
                || (status / 100 == 2 && !type.startsWith("text/event-stream"))) {
            close(response.body());
            return result; // no live stream on this server: poll
        }
        if (status / 100 != 2) {
            throw api.failure(status, readAll(response.body()));
        }
        result.opened = true;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollwatch-watch-timeout");
            t.setDaemon(true);
            return t;
        });
        Thread reading = Thread.currentThread();
        // Closing alone does not wake a read blocked in the JDK client's stream: the interrupt does.
        ScheduledFuture<?> cut = deadline == Long.MAX_VALUE ? null : timer.schedule(() -> {
            close(response.body());
            reading.interrupt();
        }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        boolean[] terminal = {false};
        SseParser parser = new SseParser(event -> {
            if (!"deployment".equals(event.name()) && !"message".equals(event.name())) {
                return;
            }
            JsonNode snapshot = parse(event.data());
            if (snapshot != null) {
                result.last = snapshot;
                onSnapshot.accept(snapshot);
                terminal[0] = done(snapshot);
            }
        });
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String line;
            while (!terminal[0] && (line = reader.readLine()) != null) {
                parser.line(line);
            }
            parser.end();
        } catch (IOException e) {
            // cut by the timeout, or the connection dropped: the caller decides (timeout, or poll on)
        } finally {
            if (cut != null) {
                cut.cancel(false);
            }
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // the timeout's own interrupt, cleared below
            }
            Thread.interrupted(); // the timeout's interrupt must not leak into what follows
            close(response.body());
        }
        return result;
    }

    private Result poll(String id, long deadline, JsonNode last, boolean streamed) {
        String url = deployUrl + "/api/v1/deployments/" + id;
        while (true) {
            JsonNode snapshot = api.get(url);
            if (last == null || !snapshot.equals(last)) {
                onSnapshot.accept(snapshot);
            }
            last = snapshot;
            if (done(snapshot)) {
                return new Result(snapshot, false, streamed);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Result(snapshot, true, streamed);
            }
            sleep(Math.min(pollInterval.toNanos(), remaining));
        }
    }

    private JsonNode parse(String data) {
        try {
            JsonNode node = api.json().readTree(data);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null; // one unreadable event: the next one (or polling) carries the state
        }
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing only to release the connection
        }
    }
}
