package dev.rollwatch.monitor;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, {@code /usr/bin/prometheus}) started for the
 * test with its own config, data directory under {@code target/} and a free port, scraping every second a stub
 * metrics endpoint served here: {@code http_requests_total{service,version,environment,code}} growing at 200
 * requests/s for version 2.4.0 of {@link #BAD} (8% answered 500) and of {@link #GOOD} (none). Without the binary
 * the test fails, saying how to install it: it never skips silently.
 */
public class PrometheusServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String BAD = "prom-bad";
    public static final String GOOD = "prom-good";
    public static final String PID_KEY = "rollwatch.test.prometheus.pid";

    private static final Path BINARY = Path.of(System.getProperty("rollwatch.test.prometheus-binary",
            "/usr/bin/prometheus"));

    private HttpServer stub;
    private Process prometheus;

    @Override
    public Map<String, String> start() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("The prometheus provider IT needs a real Prometheus server, but "
                    + BINARY + " is absent. Install Debian's package: `apt-get install -y prometheus` (.ci/run "
                    + "does it when run as root).");
        }
        try {
            startStub();
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
                    """.formatted(stub.getAddress().getPort()));
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
        if (stub != null) {
            stub.stop(0);
        }
    }

    private void startStub() throws IOException {
        long started = System.nanoTime();
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/metrics", exchange -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            StringBuilder body = new StringBuilder("# TYPE http_requests_total counter\n");
            for (String service : new String[] {BAD, GOOD}) {
                double errorShare = service.equals(BAD) ? 0.08 : 0.0;
                line(body, service, "2.3.0", "200", 800 * seconds);
                line(body, service, "2.3.0", "500", 0);
                line(body, service, "2.4.0", "200", 200 * (1 - errorShare) * seconds);
                line(body, service, "2.4.0", "500", 200 * errorShare * seconds);
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        stub.start();
    }

    private static void line(StringBuilder body, String service, String version, String code, double value) {
        body.append("http_requests_total{service=\"").append(service).append("\",version=\"").append(version)
                .append("\",environment=\"production\",code=\"").append(code).append("\"} ").append(value)
                .append('\n');
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
