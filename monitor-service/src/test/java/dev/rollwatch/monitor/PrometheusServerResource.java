package dev.rollwatch.monitor;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, {@code /usr/bin/prometheus}) started for the
 * test with its own config, data directory under {@code target/} and a free port, scraping every second the real
 * demo-target ({@link DemoTarget}, its own process), where half of {@link #BAD}'s traffic goes to
 * {@link #BAD_VERSION} (8% answered 500) and half of {@link #GOOD}'s to {@link #GOOD_VERSION} (0.1%). Without the
 * binary the test fails, saying how to install it: it never skips silently.
 */
public class PrometheusServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String BAD = "prom-bad";
    public static final String GOOD = "prom-good";
    public static final String BAD_VERSION = "2.4.0-bad";
    public static final String GOOD_VERSION = "2.4.0";
    public static final String PID_KEY = "rollwatch.test.prometheus.pid";

    private static final Path BINARY = Path.of(System.getProperty("rollwatch.test.prometheus-binary",
            "/usr/bin/prometheus"));

    private DemoTarget demoTarget;
    private Process prometheus;

    @Override
    public Map<String, String> start() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("The prometheus provider IT needs a real Prometheus server, but "
                    + BINARY + " is absent. Install Debian's package: `apt-get install -y prometheus` (.ci/run "
                    + "does it when run as root).");
        }
        try {
            demoTarget = DemoTarget.start();
            demoTarget.route(BAD, "2.3.0", BAD_VERSION, 50);
            demoTarget.route(GOOD, "2.3.0", GOOD_VERSION, 50);
            Path dir = Files.createDirectories(Path.of("target", "prometheus-it", UUID.randomUUID().toString()));
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 900ms
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: demo-target
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(demoTarget.port()));
            int port = freePort();
            prometheus = new ProcessBuilder(BINARY.toString(), "--config.file=" + config.toAbsolutePath(),
                    "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            String url = "http://127.0.0.1:" + port;
            awaitReady(url, dir);
            return Map.of("rollwatch.monitor.prometheus.url", url, PID_KEY, Long.toString(prometheus.pid()));
        } catch (IOException e) {
            stop();
            throw new IllegalStateException("could not start Prometheus for the test", e);
        }
    }

    @Override
    public void stop() {
        if (prometheus != null) {
            prometheus.destroy();
        }
        if (demoTarget != null) {
            demoTarget.close();
        }
    }

    private void awaitReady(String url, Path dir) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!prometheus.isAlive()) {
                    throw new IllegalStateException("prometheus exited with " + prometheus.exitValue() + ": "
                            + Files.readString(dir.resolve("prometheus.log")));
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                } catch (IOException notListeningYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("prometheus not ready within 30s: "
                    + Files.readString(dir.resolve("prometheus.log")), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
