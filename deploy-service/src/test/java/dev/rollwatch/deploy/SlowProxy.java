package dev.rollwatch.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A slow network in front of a real target: holds every {@code POST /rollwatch/v1/traffic} for a while before
 * passing it on (headers and body untouched, so signatures stay valid), and passes it on even when the caller is
 * gone by then, as a real network would. Lets a test kill the deploy service while its call is in flight.
 */
final class SlowProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FORWARDED = List.of("webhook-id", "webhook-timestamp", "webhook-signature",
            "content-type");

    /** A traffic call that arrived: its webhook-id and weight. */
    record Arrival(String webhookId, int weight) {
    }

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String upstream;
    private final long delayMs;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final Set<Arrival> inFlight = ConcurrentHashMap.newKeySet();

    SlowProxy(String upstream, Duration delay) throws IOException {
        this.upstream = upstream;
        this.delayMs = delay.toMillis();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    boolean inFlight(int weight) {
        return inFlight.stream().anyMatch(a -> a.weight() == weight);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().toString();
        Arrival arrival = null;
        if ("POST".equals(exchange.getRequestMethod()) && path.startsWith("/rollwatch/v1/traffic")) {
            Map<?, ?> json = JSON.readValue(body, Map.class);
            arrival = new Arrival(exchange.getRequestHeaders().getFirst("webhook-id"),
                    ((Number) json.get("weight")).intValue());
            arrivals.add(arrival);
            inFlight.add(arrival);
        }
        try {
            if (arrival != null) {
                Thread.sleep(delayMs);
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream + path))
                    .timeout(Duration.ofSeconds(5))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : FORWARDED) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    forward.header(h, v);
                }
            }
            HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            try (OutputStream out = exchange.getResponseBody()) {
                answer.headers().firstValue("content-type")
                        .ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1
                        : answer.body().length);
                out.write(answer.body());
            } catch (IOException callerGone) {
                // the caller was killed meanwhile: the target got the call anyway
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (arrival != null) {
                inFlight.remove(arrival);
            }
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
