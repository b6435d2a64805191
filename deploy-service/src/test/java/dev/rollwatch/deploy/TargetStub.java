package dev.rollwatch.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollwatch.events.webhook.StandardWebhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP target in the test JVM implementing docs/target-protocol.md: verifies Standard Webhooks signatures
 * when it has a secret (401 otherwise) with {@link SpecWebhookVerifier}, a receiver written from the specification
 * independently of the signing code, so every call of every test is checked by it; applies each webhook-id once, records every delivery, and can be told to
 * fail a service's calls. Also serves {@code /health}, {@code /smoke/ok}, {@code /smoke/broken} and redirects
 * ({@code /redirect/rollwatch/v1/traffic} and {@code …/finalize}).
 */
public final class TargetStub implements AutoCloseable {

    /** The secret deploy-service signs with in the test profile. */
    public static final String TEST_SECRET = "whsec_ZGVwbG95LXNlcnZpY2UtdGVzdC1zZWNyZXQtMzJieXQ=";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TargetStub shared;

    /** One delivery of a driver call, as received. */
    public record Call(String kind, String webhookId, String timestamp, String signature, Map<String, Object> body,
            boolean applied, int answeredStatus) {
        public Object field(String name) {
            return body.get(name);
        }
    }

    private record Failure(int status, int remaining, long delayMs, Mode mode) {
        Failure(int status, int remaining, long delayMs) {
            this(status, remaining, delayMs, Mode.PLAIN);
        }
    }

    /** How a failing call answers: plainly, headers then a body dripped for ever, or a huge body. */
    private enum Mode { PLAIN, DRIP, HUGE }

    /** The body text a dripping or huge answer is made of: never to be seen in anything the service shows. */
    public static final String REMOTE_TEXT = "REMOTE-BODY-TEXT ";

    private final HttpServer server;
    private final SpecWebhookVerifier verifier;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> applied = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> state = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    /** What {@code /health} answers; changed by {@link #health} and, once armed, by an applied rollback. */
    private volatile int healthStatus = 200;
    private volatile Integer healthAfterRollback;

    public TargetStub(String secret) {
        this.verifier = secret == null ? null : new SpecWebhookVerifier(secret,
                StandardWebhooks.DEFAULT_TOLERANCE.toSeconds());
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The stub every IT of this JVM shares, verifying the test profile's secret. */
    public static synchronized TargetStub shared() {
        if (shared == null) {
            shared = new TargetStub(TEST_SECRET);
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The next {@code times} calls of {@code kind} ("traffic"/"rollback"/"finalize") for {@code service} answer
     * {@code status}.
     */
    public void fail(String service, String kind, int status, int times) {
        failures.put(service + "/" + kind, new Failure(status, times, 0));
    }

    /** The next {@code times} calls of {@code kind} for {@code service} answer only after {@code delayMs}. */
    public void delay(String service, String kind, long delayMs, int times) {
        failures.put(service + "/" + kind, new Failure(200, times, delayMs));
    }

    /**
     * The next {@code times} calls of {@code kind} for {@code service} answer 200 with their headers at once, then
     * drip their body ({@link #REMOTE_TEXT}, one byte every 100 ms, for 10 minutes) until the caller hangs up.
     */
    public void drip(String service, String kind, int times) {
        failures.put(service + "/" + kind, new Failure(200, times, 0, Mode.DRIP));
    }

    /** The next {@code times} calls of {@code kind} for {@code service} answer {@code status} with a 4 MiB body. */
    public void huge(String service, String kind, int status, int times) {
        failures.put(service + "/" + kind, new Failure(status, times, 0, Mode.HUGE));
    }

    /** How many answers are dripping now (callers still connected). */
    public int dripping() {
        return dripping.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger dripping = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code /health} answers {@code status} from now on (a stub of its own: the shared one must stay healthy). */
    public void health(int status) {
        healthStatus = status;
    }

    /** {@code /health} answers {@code status} once a rollback has been applied (the restored version is sick). */
    public void healthAfterRollback(int status) {
        healthAfterRollback = status;
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public List<Call> callsFor(String deploymentId) {
        return calls.stream().filter(c -> deploymentId.equals(c.field("deploymentId"))).toList();
    }

    public List<Call> callsFor(String deploymentId, String kind) {
        return callsFor(deploymentId).stream().filter(c -> c.kind().equals(kind)).toList();
    }

    /** The weights the target applied for a deployment, in order (deliveries of one webhook-id count once). */
    public List<Integer> appliedWeights(String deploymentId) {
        return callsFor(deploymentId, "traffic").stream().filter(Call::applied)
                .map(c -> ((Number) c.field("weight")).intValue()).toList();
    }

    public Map<String, Object> state(String service) {
        return state.get(service);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/health" -> answer(exchange, healthStatus, healthStatus == 200 ? "{\"status\":\"UP\"}"
                        : "{\"status\":\"DOWN\"}");
                case "/smoke/ok" -> answer(exchange, 200, "{\"status\":\"UP\"}");
                case "/smoke/broken" -> answer(exchange, 503, "{\"status\":\"DOWN\"}");
                case "/redirect/rollwatch/v1/traffic", "/redirect/rollwatch/v1/finalize" -> {
                    exchange.getResponseHeaders().add("Location", url() + path.substring("/redirect".length()));
                    answer(exchange, 307, "");
                }
                case "/rollwatch/v1/traffic" -> driverCall(exchange, "traffic");
                case "/rollwatch/v1/rollback" -> driverCall(exchange, "rollback");
                case "/rollwatch/v1/finalize" -> driverCall(exchange, "finalize");
                default -> answer(exchange, 404, "{\"type\":\"https://rollwatch.dev/problems/not-found\"}");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void driverCall(HttpExchange exchange, String kind) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String id = exchange.getRequestHeaders().getFirst(StandardWebhooks.ID);
        String ts = exchange.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP);
        String sig = exchange.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE);
        Map<String, Object> json = JSON.readValue(body, LinkedHashMap.class);
        if (verifier != null) {
            if (verifier.refusal(id, ts, sig, body, Instant.now().getEpochSecond()) != null) {
                calls.add(new Call(kind, id, ts, sig, json, false, 401));
                answer(exchange, 401, "{\"type\":\"https://rollwatch.dev/problems/invalid-signature\"}");
                return;
            }
        }
        String service = String.valueOf(json.get("service"));
        Failure[] taken = new Failure[1];
        failures.computeIfPresent(service + "/" + kind, (k, f) -> {
            taken[0] = f;
            return f.remaining() <= 1 ? null : new Failure(f.status(), f.remaining() - 1, f.delayMs(), f.mode());
        });
        Failure current = taken[0];
        if (current != null && current.mode() != Mode.PLAIN) {
            calls.add(new Call(kind, id, ts, sig, json, false, current.status()));
            misbehave(exchange, current);
            return;
        }
        if (current != null && current.delayMs() > 0) {
            sleep(current.delayMs());
        }
        if (current != null && current.status() != 200) {
            calls.add(new Call(kind, id, ts, sig, json, false, current.status()));
            answer(exchange, current.status(), "{\"type\":\"https://rollwatch.dev/problems/internal-error\"}");
            return;
        }
        boolean first = applied.putIfAbsent(id, json) == null;
        if (first) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("service", service);
            if (kind.equals("traffic")) {
                s.put("stableVersion", json.get("stableVersion"));
                s.put("canaryVersion", json.get("canaryVersion"));
                s.put("weight", json.get("weight"));
            } else {
                s.put("stableVersion", json.get(kind.equals("finalize") ? "version" : "toVersion"));
                s.put("canaryVersion", null);
                s.put("weight", 0);
            }
            state.put(service, s);
            if (kind.equals("rollback") && healthAfterRollback != null) {
                healthStatus = healthAfterRollback;
            }
        }
        calls.add(new Call(kind, id, ts, sig, json, first, 200));
        answer(exchange, 200, JSON.writeValueAsString(state.get(service)));
    }

    private void misbehave(HttpExchange exchange, Failure how) {
        byte[] text = REMOTE_TEXT.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (how.mode() == Mode.HUGE) {
                exchange.sendResponseHeaders(how.status(), 0);
                byte[] chunk = REMOTE_TEXT.repeat(4096).getBytes(StandardCharsets.UTF_8);
                for (int written = 0; written < 4 << 20; written += chunk.length) {
                    exchange.getResponseBody().write(chunk);
                }
                return;
            }
            exchange.sendResponseHeaders(how.status(), 0);
            exchange.getResponseBody().flush();
            dripping.incrementAndGet();
            try {
                for (int i = 0; i < 6000; i++) {
                    exchange.getResponseBody().write(text[i % text.length]);
                    exchange.getResponseBody().flush();
                    Thread.sleep(100);
                }
            } finally {
                dripping.decrementAndGet();
            }
        } catch (IOException e) {
            // the caller hung up: what a bounded caller does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
