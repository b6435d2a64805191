package dev.rollwatch.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.testsupport.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real {@code demo-target} (its packaged jar, as its own process), started once per test JVM with the same
 * Standard Webhooks secret the deploy service signs with: it refuses unsigned or badly signed calls (401) and does
 * not record them, so every call it lists was verified.
 */
final class DemoTarget {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static DemoTarget shared;

    private final ServiceProcess process;

    private DemoTarget(ServiceProcess process) {
        this.process = process;
    }

    static Path root() {
        return Path.of(System.getProperty("rollwatch.root", "..")).toAbsolutePath().normalize();
    }

    static Path logs() {
        return root().resolve("deploy-service/target/process-logs");
    }

    static synchronized DemoTarget shared() {
        if (shared == null) {
            try {
                ServiceProcess p = ServiceProcess.launch(root(), "demo-target",
                        Map.of("DEMO_WEBHOOK_SECRET", TargetStub.TEST_SECRET), logs(),
                        "-Ddemo.requests-per-second=20");
                p.awaitReady(Duration.ofSeconds(120));
                shared = new DemoTarget(p);
                Runtime.getRuntime().addShutdownHook(new Thread(p::close));
            } catch (IOException e) {
                throw new IllegalStateException("demo-target did not start: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    String url() {
        return process.url("");
    }

    /** The driver calls the target applied for this deployment, oldest first. */
    List<Map<String, Object>> calls(String deploymentId) {
        return get("/rollwatch/v1/calls?deploymentId=" + deploymentId, new TypeReference<>() {
        });
    }

    /** The weights of the applied traffic calls for this deployment, in order. */
    List<Object> appliedWeights(String deploymentId) {
        return calls(deploymentId).stream().filter(c -> "traffic".equals(c.get("kind")))
                .map(c -> body(c).get("weight")).toList();
    }

    /** The body of a recorded call, as the target applied it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Map<String, Object> call) {
        return (Map<String, Object>) call.get("body");
    }

    Map<String, Object> state(String service) {
        return get("/rollwatch/v1/state?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8),
                new TypeReference<>() {
                });
    }

    private <T> T get(String path, TypeReference<T> type) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(process.url(path)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
            }
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
