package dev.rollwatch.monitor;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A stand-in Prometheus (a JDK HTTP server on a free loopback port) that records every query it is asked and answers
 * each with one series of value {@value #VALUE}; configures the monitor to use it and one query template,
 * {@code error-rate}.
 */
public class FakePrometheusResource implements QuarkusTestResourceLifecycleManager {

    static final String VALUE = "0.002";
    static final String TEMPLATE = "sum(rate(http_requests_total{service=\"{{service}}\",version=\"{{version}}\","
            + "code=~\"5..\"}[1m])) / sum(rate(http_requests_total{service=\"{{service}}\","
            + "version=\"{{version}}\"}[1m]))";
    /** Every query received, decoded, in order. */
    static final Queue<String> QUERIES = new ConcurrentLinkedQueue<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/query", exchange -> {
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? List.<String>of() : List.of(raw.split("&"))) {
                if (pair.startsWith("query=")) {
                    QUERIES.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
                }
            }
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                    + "\"value\":[" + System.currentTimeMillis() / 1000.0 + ",\"" + VALUE + "\"]}]}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return Map.of("rollwatch.monitor.prometheus.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "rollwatch.monitor.prometheus.templates.\"error-rate\"", TEMPLATE);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
