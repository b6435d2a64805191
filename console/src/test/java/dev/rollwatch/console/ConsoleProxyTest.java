package dev.rollwatch.console;

import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = true)
class ConsoleProxyTest {

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void clear() {
        FakeUpstream.get().clear();
    }

    @Test
    void forwardsMethodBodyQueryAndTheHeadersAServiceNeeds() {
        String bearer = TestTokens.authorization();
        given().urlEncodingEnabled(false)
                .header("Authorization", bearer)
                .header("Idempotency-Key", "key-1")
                .header("Cookie", "q_session=console-session")
                .header("Proxy-Authorization", "Basic c2VjcmV0")
                .contentType("application/json")
                .body("{\"reason\":\"bad canary\"}")
                .when().post("/api/deploy/echo/deployments/42/abort?dryRun=true&x=a%20b")
                .then().statusCode(200)
                .contentType("application/json")
                .body("method", equalTo("POST"))
                .body("path", equalTo("/api/v1/echo/deployments/42/abort"))
                .body("query", equalTo("dryRun=true&x=a%20b"))
                .body("body", equalTo("{\"reason\":\"bad canary\"}"))
                .body("idempotencyKey", equalTo("key-1"))
                .body("authorization", equalTo(bearer));

        FakeUpstream.Seen seen = FakeUpstream.get().seen("/api/v1/echo/deployments/42/abort").get(0);
        assertThat(seen.header("Content-Type")).startsWith("application/json");
        // The console's own cookie and hop-by-hop/proxy credentials never reach a service.
        assertThat(seen.header("Cookie")).isNull();
        assertThat(seen.header("Proxy-Authorization")).isNull();
    }

    @Test
    void aGetWithoutTokenIsForwardedWithoutOne() {
        given().when().get("/api/deploy/echo/deployments")
                .then().statusCode(200)
                .body("method", equalTo("GET"))
                .body("authorization", nullValue())
                .body("query", nullValue());
    }

    @Test
    void dropsTheUpstreamsCookiesAndInternalHeaders() {
        Response response = given().when().get("/api/deploy/echo/x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Set-Cookie")).isNull();
        assertThat(response.header("X-Upstream-Internal")).isNull();
        assertThat(response.header("Keep-Alive")).isNull();
    }

    @Test
    void passesAServiceProblemThroughUnchanged() {
        Response response = given().header("Authorization", TestTokens.authorization())
                .when().post("/api/deploy/problem");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.header("Retry-After")).isEqualTo("7");
        assertThat(response.asString()).isEqualTo(FakeUpstream.PROBLEM);
    }

    @Test
    void followsNoRedirect() {
        Response response = given().redirects().follow(false).when().get("/api/deploy/redirect");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.header("Location")).isEqualTo(FakeUpstream.get().url() + "/api/v1/echo/redirected");
        assertThat(FakeUpstream.get().seen("/api/v1/echo/redirected")).isEmpty();
    }

    @Test
    void streamsServerSentEventsAsTheyCome() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/deploy/stream"))
                .header("Accept", "text/event-stream")
                .header("Authorization", TestTokens.authorization())
                .timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<String> first = readEvent(reader);
            assertThat(first).contains("event: step-started", "data: {\"weight\":10}");
            // The first event got through while the upstream still holds the stream open.
            assertThat(FakeUpstream.get().streamClosed()).isFalse();
            FakeUpstream.get().releaseStream();
            List<String> second = readEvent(reader);
            assertThat(second).contains("event: rolled-back", "data: {\"status\":\"ROLLED_BACK\"}");
        }
    }

    private static List<String> readEvent(BufferedReader reader) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!lines.isEmpty()) {
                    return lines;
                }
                continue;
            }
            lines.add(line);
        }
        return lines;
    }

    @Test
    void aServiceThatIsDownIsA502ProblemNamingIt() {
        Response response = given().header("Authorization", TestTokens.authorization())
                .when().get("/api/monitor/deployments/42/analysis");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/upstream-unavailable");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(502);
        assertThat(response.jsonPath().getString("service")).isEqualTo("monitor");
        assertThat(response.jsonPath().getString("detail")).contains("monitor").doesNotContain("Exception");
        assertThat(response.asString()).doesNotContain("\tat ");
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsA504() {
        Response response = given().when().get("/api/deploy/slow");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/upstream-timeout");
        assertThat(response.jsonPath().getString("service")).isEqualTo("deploy");
    }

    @Test
    void anUnknownServiceIs404() {
        Response response = given().when().get("/api/payments/things");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/unknown-service");
        assertThat(FakeUpstream.get().seen()).isEmpty();
    }

    @Test
    void pathTraversalIs400AndReachesNoService() throws Exception {
        for (String path : List.of("/api/deploy/../../etc/passwd", "/api/deploy/echo/../../../admin",
                "/api/deploy/%2e%2e/%2E%2E/admin", "/api/deploy/echo/..%2f..%2fadmin",
                "/api/deploy/%252e%252e/admin", "/api/deploy/echo/.%2e/x", "/api/../api/deploy/echo")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                    "http://" + base.getHost() + ":" + base.getPort() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
        assertThat(FakeUpstream.get().seen()).isEmpty();
    }

    @Test
    void noTokenIsEverLogged() {
        LogCapture capture = LogCapture.start();
        String token = TestTokens.all();
        try {
            given().header("Authorization", "Bearer " + token).when().get("/console/me").then().statusCode(200);
            given().header("Authorization", "Bearer " + TestTokens.otherKey().roles("operator").mint())
                    .when().get("/console/me").then().statusCode(401);
            given().header("Authorization", "Bearer " + token).when().get("/api/deploy/echo/a").then().statusCode(200);
            given().header("Authorization", "Bearer " + token).when().get("/api/monitor/x").then().statusCode(502);
            given().header("Authorization", "Bearer " + token).when().get("/api/deploy/slow").then().statusCode(504);
        } finally {
            capture.stop();
        }
        capture.assertNoneContains(List.of(token));
        assertThat(capture.lines()).anyMatch(l -> l.contains("monitor"));
    }

    @Test
    void proxiedAnswersCarryTheSecurityHeadersToo() {
        Response response = given().when().get("/api/deploy/echo/x");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(Map.of("csp", String.valueOf(response.header("Content-Security-Policy"))).get("csp"))
                .contains("default-src 'self'");
    }
}
