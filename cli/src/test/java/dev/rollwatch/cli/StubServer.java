package dev.rollwatch.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A JDK HttpServer standing in for the services: routes by "METHOD /path", records every request. */
public final class StubServer implements AutoCloseable {

    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange, Request request) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public StubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(r);
            Handler h = routes.get(r.method() + " " + r.path());
            try {
                if (h == null) {
                    send(exchange, 404, "application/problem+json",
                            "{\"type\":\"https://rollwatch.dev/problems/not-found\",\"title\":\"Not Found\","
                                    + "\"status\":404,\"detail\":\"no route " + r.path() + "\"}");
                } else {
                    h.handle(exchange, r);
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public StubServer on(String methodAndPath, Handler handler) {
        routes.put(methodAndPath, handler);
        return this;
    }

    public StubServer json(String methodAndPath, int status, String body) {
        return on(methodAndPath, (ex, r) -> send(ex, status, status >= 400 ? "application/problem+json"
                : "application/json", body));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Runs the CLI in this JVM with every service URL pointing at {@code url}. */
    public static Run run(String url, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Rollwatch.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 5];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--deploy-url=" + url;
        all[args.length + 1] = "--rollback-url=" + url;
        all[args.length + 2] = "--audit-url=" + url;
        all[args.length + 3] = "--notifier-url=" + url;
        all[args.length + 4] = "--monitor-url=" + url;
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    public record Run(int exitCode, String out, String err) {
    }
}
