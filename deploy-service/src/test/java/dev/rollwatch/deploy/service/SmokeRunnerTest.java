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
                arguments("without the credential the status fails, quoting a short excerpt of the body",
                        check("/status", null, null, null),
                        "expected status 200, got 401 (body '{\"error\": \"unauthorised\"}')"),
                arguments("a response header with another value is named",
                        check("/status", AUTH, Map.of("X-RateLimit-Limit", "50"), null),
                        "response header X-RateLimit-Limit expected '50', got '100'"),
                arguments("a missing response header is named",
                        check("/status", AUTH, Map.of("Retry-After", "1"), null),
                        "response header Retry-After expected '1', got none"),
                arguments("a JSON field with another value is named",
                        check("/status", AUTH, null, Map.of("/status", "DOWN")),
                        "JSON /status expected \"DOWN\", got \"UP\""),
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
            assertThat(result.firstFailure()).startsWith("GET " + check.url() + ": ").contains(failure);
        }
        assertThat(result.summary()).doesNotContain("s3cr3t");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void aRemoteBodyIsQuotedShortAndOnOneLine(String rule, String path, int maxLength) {
        String failure = RUNNER.run(List.of(check(path, null, null, null))).firstFailure();
        assertThat(failure.length()).isLessThanOrEqualTo(maxLength);
        assertThat(failure).doesNotContain("\n");
    }

    static Stream<Arguments> bodies() {
        return Stream.of(arguments("a 5 kB body is cut to the excerpt", "/long", 200));
    }
}
