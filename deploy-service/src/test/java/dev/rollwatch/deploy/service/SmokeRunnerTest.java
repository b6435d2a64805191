package dev.rollwatch.deploy.service;

import com.sun.net.httpserver.HttpServer;
import dev.rollwatch.events.SmokeCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each row: a check against a real HTTP server, and the failure it names (null: it passes). */
class SmokeRunnerTest {

    private static HttpServer server;
    private static final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private static final SmokeRunner RUNNER = new SmokeRunner(Duration.ofSeconds(2),
            new SmokeSecrets(Map.of("SMOKE_TOKEN", "s3cr3t"), name -> null));

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/status", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            lastAuthorization.set(auth);
            boolean authorised = "Bearer s3cr3t".equals(auth);
            byte[] body = (authorised ? "{\"status\": \"UP\", \"queue\": {\"depth\": 3}, \"ok\": true}"
                    : "{\"error\": \"unauthorised\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-RateLimit-Limit", "100");
            exchange.sendResponseHeaders(authorised ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/long", exchange -> {
            byte[] body = ("<html>" + "x".repeat(5000) + "</html>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/huge", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, 4 MiB
            byte[] chunk = "x".repeat(65536).getBytes(StandardCharsets.UTF_8);
            try {
                for (int i = 0; i < 64; i++) {
                    exchange.getResponseBody().write(chunk);
                }
            } catch (IOException e) {
                // the runner stopped reading
            }
            exchange.close();
        });
        server.createContext("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 600; i++) {
                    exchange.getResponseBody().write('x');
                    exchange.getResponseBody().flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // the runner gave up
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static SmokeCheck check(String path, Map<String, String> headers, Map<String, String> expectHeaders,
            Map<String, Object> expectJson) {
        return new SmokeCheck(url(path), "GET", 200, null, null, 0, headers, expectHeaders, expectJson);
    }

    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer ${secret:SMOKE_TOKEN}");

    static Stream<Arguments> checks() {
        return Stream.of(
                arguments("the secret is resolved when sending and every assertion holds",
                        check("/status", AUTH, Map.of("X-RateLimit-Limit", "100"),
                                Map.of("/status", "UP", "/queue/depth", 3.0, "/ok", true)), null),
                arguments("without the credential the status fails, naming the status but not quoting the body",
                        check("/status", null, null, null), "expected status 200, got 401"),
                arguments("a response header with another value is named, its value not quoted",
                        check("/status", AUTH, Map.of("X-RateLimit-Limit", "50"), null),
                        "response header X-RateLimit-Limit expected '50', got a different value"),
                arguments("a missing response header is named",
                        check("/status", AUTH, Map.of("Retry-After", "1"), null),
                        "response header Retry-After expected '1', got none"),
                arguments("a JSON field with another value is named",
                        check("/status", AUTH, null, Map.of("/status", "DOWN")),
                        "JSON /status expected \"DOWN\", got a different value"),
                arguments("a missing JSON field is named",
                        check("/status", AUTH, null, Map.of("/workers/0", "up")),
                        "JSON /workers/0 expected \"up\", got nothing"),
                arguments("a secret that is no longer configured is not sent",
                        check("/status", Map.of("Authorization", "Bearer ${secret:GONE}"), null, null),
                        "header Authorization not sent: secret GONE is not configured"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void eachAssertionIsCheckedAndEachFailureNamed(String rule, SmokeCheck check, String failure) {
        SmokeRunner.Result result = RUNNER.run(List.of(check));
        if (failure == null) {
            assertThat(result.failures()).isEmpty();
            assertThat(result.passed()).isEqualTo(1);
        } else {
            assertThat(result.firstFailure()).startsWith("GET " + check.url() + ": ").endsWith(failure);
        }
        // Nothing of the remote body or header values reaches the failure (it is shown to API callers).
        assertThat(result.summary()).doesNotContain("unauthorised").doesNotContain("\"UP\"")
                .doesNotContain("'100'");
        assertThat(result.summary()).doesNotContain("s3cr3t");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void aRemoteBodyIsNeverQuoted(String rule, SmokeCheck check, String failure) {
        String got = RUNNER.run(List.of(check)).firstFailure();
        assertThat(got).isEqualTo("GET " + url(check.url().substring(check.url().indexOf('/', 8))
                .replaceAll("\\?.*", "")) + ": " + failure);
        assertThat(got).doesNotContain("xxxx").doesNotContain("html").doesNotContain("secret=");
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                arguments("a 5 kB error page: only its status", check("/long", null, null, null),
                        "expected status 200, got 500"),
                arguments("a body that is not JSON: said, not shown, and the URL's query is not shown",
                        new SmokeCheck(url("/long?secret=1"), "GET", 500, null, null, 0, null, null,
                                Map.of("/a", 1)), "body is not JSON"),
                arguments("a missing text: the expected text, not the body",
                        new SmokeCheck(url("/long"), "GET", 500, "needle", null, 0, null, null, null),
                        "body does not contain 'needle'"),
                arguments("a body over 1 MiB fails without being read", check("/huge", null, null, null),
                        "answer longer than 1048576 bytes"));
    }

    @org.junit.jupiter.api.Test
    void aBodyThatDripsEndsAtTheCheckTimeoutNotWhenTheRemoteStops() {
        SmokeCheck dripping = new SmokeCheck(url("/drip"), "GET", 200, null, Duration.ofMillis(800), 0, null, null,
                null);
        long start = System.nanoTime();
        SmokeRunner.Result result = RUNNER.run(List.of(dripping));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.firstFailure()).isEqualTo("GET " + url("/drip") + ": no complete answer within 800 ms");
        assertThat(tookMs).isBetween(700L, 3000L);
    }

    @org.junit.jupiter.api.Test
    void aCheckAskingForAnHourIsRunWithTheCapAndAStepStopsAtItsBudget() {
        SmokeCheck hour = new SmokeCheck(url("/drip"), "GET", 200, null, Duration.ofHours(1), 10, null, null,
                null);
        long start = System.nanoTime();
        SmokeRunner.Result result = RUNNER.run(List.of(hour, check("/status", AUTH, null, null)),
                Duration.ofMillis(1500));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isBetween(1400L, 4000L);
        assertThat(result.failures()).hasSize(2);
        assertThat(result.failures().get(0)).matches(java.util.regex.Pattern.quote("GET " + url("/drip"))
                + ": no complete answer within 1\\d\\d\\d ms \\(\\d attempts; the step's budget was spent\\)");
        assertThat(result.failures().get(1))
                .isEqualTo("GET " + url("/status") + ": not run: the smoke step's 1 s budget was spent");
    }

    @org.junit.jupiter.api.Test
    void everyCheckGoesThroughTheOutboundPolicyOfTheDeploymentsEnvironment() {
        SmokeSecrets none = new SmokeSecrets(Map.of(), name -> null);
        // Production's policy: loopback and link-local refused; the metadata service never answers.
        SmokeRunner production = new SmokeRunner(Duration.ofSeconds(2), none,
                new dev.rollwatch.platform.http.OutboundUrlPolicy(false, false, List.of(),
                        java.net.InetAddress::getAllByName));
        SmokeCheck local = check("/status", Map.of(), null, null);
        SmokeCheck metadata = new SmokeCheck("http://169.254.169.254/latest/meta-data/iam/security-credentials/x",
                "GET", 200, "AKIA", null, 3, null, null, null);
        SmokeRunner.Result refused = production.run(List.of(local, metadata), "production");
        assertThat(refused.passed()).isZero();
        assertThat(refused.failures()).containsExactly(
                "GET " + local.url() + ": refused: the destination is not allowed by the outbound policy",
                "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/x: refused: the destination is "
                        + "not allowed by the outbound policy");
        // Loopback allowed for that environment (as the local stack allows it): the check is sent, pinned.
        SmokeRunner staging = new SmokeRunner(Duration.ofSeconds(2), none,
                new dev.rollwatch.platform.http.OutboundUrlPolicy(false, false, List.of(),
                        Map.of("staging", List.of("127.0.0.0/8")), java.net.InetAddress::getAllByName));
        assertThat(staging.run(List.of(check("/status", Map.of(), null, null)), "staging").firstFailure())
                .isEqualTo("GET " + local.url() + ": expected status 200, got 401");
        assertThat(staging.run(List.of(local), "production").firstFailure()).endsWith("outbound policy");
    }
}
