package dev.rollwatch.monitor.provider.prometheus;

import com.sun.net.httpserver.HttpServer;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus HTTP API envelope cases, against a real HTTP server that answers what the test says. */
class PrometheusClientTest {

    private HttpServer server;
    private volatile int status;
    private volatile String body;
    private volatile String lastQuery;
    private PrometheusClient client;

    /** The local stack's and the tests' policy: loopback allowed (production refuses it). */
    static final OutboundUrlPolicy LOOPBACK_ALLOWED = new OutboundUrlPolicy(false, true, List.of(),
            InetAddress::getAllByName);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", exchange -> {
            lastQuery = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        client = new PrometheusClient("http://127.0.0.1:" + server.getAddress().getPort() + "/", Duration.ofSeconds(2),
                LOOPBACK_ALLOWED);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Reading answer(int httpStatus, String json) {
        status = httpStatus;
        body = json;
        return client.query("sum(rate(x[1m]))", "production");
    }

    private static String vector(String... samples) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + String.join(",", samples)
                + "]}}";
    }

    private static String series(String value) {
        return "{\"metric\":{\"service\":\"checkout\"},\"value\":[1700000000.5,\"" + value + "\"]}";
    }

    @Test
    void aVectorOfOneSeriesIsItsValueAtItsTimestamp() {
        Reading r = answer(200, vector(series("0.08")));

        assertThat(r.kind()).isEqualTo(Reading.Kind.MEASURED);
        assertThat(r.value()).isEqualTo(0.08);
        assertThat(r.observedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_500L));
        assertThat(r.reason()).isNull();
        assertThat(lastQuery).contains("query=sum(rate(x[1m]))").contains("timeout=2000ms");
    }

    @Test
    void aScalarIsItsValue() {
        Reading r = answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
                + "\"result\":[1700000000,\"42\"]}}");

        assertThat(r.kind()).isEqualTo(Reading.Kind.MEASURED);
        assertThat(r.value()).isEqualTo(42.0);
    }

    @Test
    void warningsOfASuccessfulAnswerAreKeptWithTheValue() {
        Reading r = answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + series("0.5") + "]},\"warnings\":[\"PromQL info: metric might not be a counter\"]}");

        assertThat(r.kind()).isEqualTo(Reading.Kind.MEASURED);
        assertThat(r.value()).isEqualTo(0.5);
        assertThat(r.reason()).contains("metric might not be a counter");
    }

    @Test
    void anEmptyVectorIsNoDataWhichIsAnErrorNotAPass() {
        Reading r = answer(200, vector());

        assertThat(r.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(r.value()).isNull();
        assertThat(r.reason()).contains("no data");
    }

    @Test
    void severalSeriesAreRefusedRatherThanPickingOne() {
        Reading r = answer(200, vector(series("0.01"), series("0.5")));

        assertThat(r.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(r.reason()).contains("2 series").contains("aggregate");
    }

    @Test
    void nanAndInfinitiesAreNotMeasurements() {
        for (String value : new String[] {"NaN", "+Inf", "-Inf"}) {
            Reading r = answer(200, vector(series(value)));
            assertThat(r.kind()).as(value).isEqualTo(Reading.Kind.ERROR);
            assertThat(r.value()).as(value).isNull();
            assertThat(r.reason()).as(value).contains(value);
        }
        Reading scalarNan = answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
                + "\"result\":[1700000000,\"NaN\"]}}");
        assertThat(scalarNan.kind()).isEqualTo(Reading.Kind.ERROR);
    }

    @Test
    void aMatrixIsNotAnInstantValue() {
        Reading r = answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{},\"values\":[[1700000000,\"1\"]]}]}}");

        assertThat(r.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(r.reason()).contains("matrix");
    }

    @Test
    void badData400IsAnErrorWithPrometheusReason() {
        Reading r = answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"invalid parameter \\\"query\\\": 1:6: parse error: unexpected end of input\"}");

        assertThat(r.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(r.reason()).contains("HTTP 400").contains("bad_data").contains("parse error");
    }

    @Test
    void execution422AndTimeout503AreErrors() {
        Reading execution = answer(422, "{\"status\":\"error\",\"errorType\":\"execution\","
                + "\"error\":\"vector cannot contain metrics with the same labelset\"}");
        assertThat(execution.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(execution.reason()).contains("HTTP 422").contains("execution").contains("same labelset");

        Reading timeout = answer(503, "{\"status\":\"error\",\"errorType\":\"timeout\","
                + "\"error\":\"query timed out in expression evaluation\"}");
        assertThat(timeout.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(timeout.reason()).contains("HTTP 503").contains("timeout");
    }

    @Test
    void anAnswerWithoutTheEnvelopeIsAnError() {
        Reading proxy = answer(503, "<html>Service Unavailable</html>");
        assertThat(proxy.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(proxy.reason()).contains("HTTP 503").contains("without an API envelope")
                .doesNotContain("html").doesNotContain("Service Unavailable"); // described, never quoted

        Reading statusError = answer(200, "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"boom\"}");
        assertThat(statusError.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(statusError.reason()).contains("internal").contains("boom");
    }

    @Test
    void anUnreachableServerIsAnError() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Reading r = new PrometheusClient("http://127.0.0.1:" + closedPort, Duration.ofSeconds(1), LOOPBACK_ALLOWED)
                .query("up", "production");

        assertThat(r.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(r.value()).isNull();
        assertThat(r.reason()).isEqualTo("Prometheus at http://127.0.0.1:" + closedPort
                + " unreachable: connection refused");
    }

    @Test
    void anAnswerOverTheCapIsAnErrorWithoutBeingReadToItsEnd() {
        Reading r = answer(200, "{\"status\":\"success\",\"padding\":\"" + "x".repeat(PrometheusClient.MAX_BODY)
                + "\"}");
        assertThat(r.kind()).isEqualTo(Reading.Kind.ERROR);
        assertThat(r.reason()).endsWith("unreachable: answer longer than 1048576 bytes");
    }

    @Test
    void aPrometheusTheOutboundPolicyRefusesIsNeverAsked() {
        status = 200;
        body = vector("{\"metric\":{},\"value\":[1700000000,\"0.5\"]}");
        PrometheusClient refused = new PrometheusClient("http://127.0.0.1:" + server.getAddress().getPort(),
                Duration.ofSeconds(2), new OutboundUrlPolicy(false, false, List.of(), InetAddress::getAllByName));

        Reading r = refused.query("up", "production");

        assertThat(r.measured()).isFalse();
        assertThat(r.reason()).isEqualTo("Prometheus at http://127.0.0.1:" + server.getAddress().getPort()
                + " is not an allowed destination (outbound policy: allow-list it with rollwatch.outbound.allowed)");
        assertThat(lastQuery).isNull();
    }
}
