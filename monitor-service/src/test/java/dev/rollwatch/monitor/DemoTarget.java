package dev.rollwatch.monitor;

import dev.rollwatch.testsupport.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The real {@code demo-target} (its packaged jar, as its own process): simulated traffic whose error rate, latency
 * and memory depend on the version, served as Prometheus text on {@code /metrics}. Unsigned driver calls are
 * accepted (no secret), so a test routes traffic to a canary with one POST. 2,000 simulated requests per second
 * per service, so a one-second scrape of a 50% canary holds about a thousand requests: a good version's 0.1% errors
 * stay far below a 1% threshold and a bad version's 8% far above it.
 */
final class DemoTarget implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceProcess process;

    private DemoTarget(ServiceProcess process) {
        this.process = process;
    }

    static Path root() {
        return Path.of(System.getProperty("rollwatch.root", "..")).toAbsolutePath().normalize();
    }

    /** Starts a demo-target; its log goes to {@code monitor-service/target/process-logs/demo-target.log}. */
    static DemoTarget start() {
        try {
            ServiceProcess p = ServiceProcess.launch(root(), "demo-target", Map.of(),
                    root().resolve("monitor-service/target/process-logs"), "-Ddemo.requests-per-second=2000",
                    "-Ddemo.random-seed=7");
            p.awaitReady(Duration.ofSeconds(120));
            return new DemoTarget(p);
        } catch (IOException e) {
            throw new IllegalStateException("demo-target did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return process.port;
    }

    String metricsUrl() {
        return process.url("/metrics");
    }

    /** Routes {@code weight}% of {@code service}'s traffic to {@code canary}, the rest to {@code stable}. */
    void route(String service, String stable, String canary, int weight) {
        post("/rollwatch/v1/traffic", """
                {"deploymentId": "%s", "service": "%s", "environment": "production", "stableVersion": "%s",
                 "canaryVersion": "%s", "weight": %d}""".formatted(UUID.randomUUID(), service, stable, canary, weight),
                Map.of("webhook-id", "msg_" + UUID.randomUUID()));
    }

    /** Makes {@code version}'s resident memory grow by {@code mbPerHour} from now on. */
    void leak(String version, double mbPerHour) {
        post("/demo/behaviour", "{\"version\": \"" + version + "\", \"memoryGrowthMbPerHour\": " + mbPerHour + "}",
                Map.of());
    }

    private void post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(process.url(path)))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
