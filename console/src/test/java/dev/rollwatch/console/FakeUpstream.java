package dev.rollwatch.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A service stand-in for the proxy tests (the JDK's HTTP server on a random port): it records every request it gets
 * and answers by path under {@code /api/v1/}: {@code echo/…} (what it received, as JSON), {@code problem} (409
 * problem+json with Retry-After), {@code redirect} (302 to {@code echo}), {@code stream} (an event stream whose
 * second event waits for {@link #releaseStream()}), {@code slow} (answers after 20 s).
 */
public final class FakeUpstream {

    public static final String PROBLEM = "{\"type\":\"https://rollwatch.dev/problems/conflict\",\"title\":\"Conflict\","
            + "\"status\":409,\"detail\":\"deployment 42 is already running\"}";

    /** A request as the upstream saw it. */
    public record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private static volatile FakeUpstream instance;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch streamGate = new CountDownLatch(1);
    private volatile boolean streamClosed;

    private FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static synchronized FakeUpstream start() throws IOException {
        if (instance == null) {
            instance = new FakeUpstream();
        }
        return instance;
    }

    public static FakeUpstream get() {
        return instance;
    }

    public void stop() {
        streamGate.countDown();
        server.stop(0);
        executor.shutdownNow();
        instance = null;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public List<Seen> seen(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    public void clear() {
        seen.clear();
        streamGate = new CountDownLatch(1);
        streamClosed = false;
    }

    public void releaseStream() {
        streamGate.countDown();
    }

    public boolean streamClosed() {
        return streamClosed;
    }

    /** A port nothing listens on: an upstream that is down. */
    public static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
        seen.add(request);
        String path = request.path();
        try (exchange) {
            if (path.startsWith("/api/v1/echo")) {
                Map<String, Object> echo = new LinkedHashMap<>();
                echo.put("method", request.method());
                echo.put("path", path);
                echo.put("query", request.query());
                echo.put("body", body);
                echo.put("contentType", request.header("Content-Type"));
                echo.put("idempotencyKey", request.header("Idempotency-Key"));
                echo.put("authorization", request.header("Authorization"));
                byte[] out = new ObjectMapper().writeValueAsBytes(echo);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Set-Cookie", "upstream=1");
                exchange.getResponseHeaders().set("Keep-Alive", "timeout=5");
                exchange.getResponseHeaders().set("X-Upstream-Internal", "yes");
                exchange.sendResponseHeaders(200, out.length);
                exchange.getResponseBody().write(out);
            } else if (path.equals("/api/v1/problem")) {
                byte[] out = PROBLEM.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                exchange.getResponseHeaders().set("Retry-After", "7");
                exchange.sendResponseHeaders(409, out.length);
                exchange.getResponseBody().write(out);
            } else if (path.equals("/api/v1/redirect")) {
                exchange.getResponseHeaders().set("Location", url() + "/api/v1/echo/redirected");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals("/api/v1/stream")) {
                stream(exchange);
            } else if (path.equals("/api/v1/slow")) {
                sleep(20_000);
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("id: 1\nevent: step-started\ndata: {\"weight\":10}\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            if (streamGate.await(30, TimeUnit.SECONDS)) {
                out.write("id: 2\nevent: rolled-back\ndata: {\"status\":\"ROLLED_BACK\"}\n\n"
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streamClosed = true;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
