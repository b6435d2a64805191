package dev.rollwatch.platform.http;

import dev.rollwatch.platform.http.BoundedHttp.Failure;
import dev.rollwatch.platform.http.BoundedHttp.OutboundException;
import dev.rollwatch.platform.http.BoundedHttp.Response;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connection half of {@link BoundedHttp#send(java.net.http.HttpClient, HttpRequest, Duration, long,
 * OutboundUrlPolicy, String)}: sends a JDK {@link HttpRequest} over a Vert.x client that connects to the
 * <em>vetted address</em> ({@link RequestOptions#setServer}) while the request keeps the URL's host name for the
 * {@code Host} header, TLS SNI and certificate name check. The JDK client cannot do that: it resolves the URI's
 * host itself (so a name could answer a public address to the check and an internal one to the connection), and
 * rewriting the URI to the IP would need the restricted {@code Host} header (a JVM-wide switch that only works if
 * set before the JDK client's classes load) and would check https certificates against the IP.
 * <p>
 * One small Vert.x instance of its own (2 event-loop threads), so callers on Quarkus' event loop or worker threads
 * never wait on a loop they block. No connection is reused (keep-alive off): every call connects to the address
 * its check answered, and an aborted call closes its connection. Redirects are never followed.
 */
final class PinnedTransport {

    private static volatile PinnedTransport shared;

    private final Vertx vertx;
    private final HttpClient client;

    PinnedTransport(TrustOptions trust) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setPreferNativeTransport(false)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(false).setVerifyHost(true)
                .setProtocolVersion(HttpVersion.HTTP_1_1).setTryUseCompression(false);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(256));
    }

    static PinnedTransport shared() {
        PinnedTransport t = shared;
        if (t == null) {
            synchronized (PinnedTransport.class) {
                t = shared;
                if (t == null) {
                    t = new PinnedTransport(null); // the JVM's default trust store, like the JDK client
                    shared = t;
                }
            }
        }
        return t;
    }

    void close() {
        vertx.close();
    }

    Response send(HttpRequest request, OutboundUrlPolicy.Destination destination, Duration connectTimeout,
            Duration deadline, long maxBytes) throws OutboundException {
        long millis = Math.max(1, deadline.toMillis());
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        URI uri = request.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String ip = destination.address().getHostAddress();
        if (destination.address() instanceof Inet6Address && ip.indexOf('%') > 0) {
            ip = ip.substring(0, ip.indexOf('%'));
        }
        byte[] body = bodyOf(request, until);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method().toUpperCase(Locale.ROOT)))
                .setServer(SocketAddress.inetSocketAddress(port, ip))
                .setHost(host).setPort(port).setSsl(https).setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(Math.max(1, Math.min(connectTimeout.toMillis(), millis)))
                .setIdleTimeout(millis);
        request.headers().map().forEach((name, values) -> values.forEach(v -> options.addHeader(name, v)));
        if (request.headers().firstValue("User-Agent").isEmpty()) {
            options.addHeader("User-Agent", "Rollwatch");
        }

        CompletableFuture<Response> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                result.completeExceptionally(ar.cause());
                return;
            }
            HttpClientRequest req = ar.result();
            sent.set(req);
            if (result.isDone()) { // timed out while connecting
                req.reset();
                return;
            }
            req.response().onComplete(rar -> {
                if (rar.failed()) {
                    result.completeExceptionally(rar.cause());
                    return;
                }
                read(rar.result(), maxBytes, result);
            });
            if (body == null) {
                req.end();
            } else {
                req.end(Buffer.buffer(body));
            }
        });
        try {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
            return result.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort(result, sent);
            throw new OutboundException(Failure.TIMEOUT, "no complete answer within " + millis + " ms", null);
        } catch (InterruptedException e) {
            abort(result, sent);
            Thread.currentThread().interrupt();
            throw new OutboundException(Failure.INTERRUPTED, "interrupted", e);
        } catch (ExecutionException e) {
            abort(result, sent);
            throw BoundedHttp.classify(e.getCause(), millis);
        }
    }

    private static void read(HttpClientResponse response, long maxBytes, CompletableFuture<Response> result) {
        HttpHeaders headers = headers(response.headers());
        long declared = headers.firstValueAsLong("Content-Length").orElse(-1);
        if (maxBytes <= 0) {
            result.complete(new Response(response.statusCode(), headers, new byte[0]));
            response.request().connection().close(); // status and headers only: the body is not read
            return;
        }
        if (declared > maxBytes) {
            result.completeExceptionally(new BoundedHttp.TooLarge(maxBytes));
            response.request().connection().close();
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        response.handler(chunk -> {
            if (result.isDone()) {
                return;
            }
            if (bytes.size() + (long) chunk.length() > maxBytes) {
                result.completeExceptionally(new BoundedHttp.TooLarge(maxBytes));
                response.request().connection().close();
                return;
            }
            byte[] b = chunk.getBytes();
            bytes.write(b, 0, b.length);
        });
        response.exceptionHandler(result::completeExceptionally);
        response.endHandler(v -> result.complete(new Response(response.statusCode(), headers, bytes.toByteArray())));
    }

    private static void abort(CompletableFuture<Response> result, AtomicReference<HttpClientRequest> sent) {
        result.cancel(false);
        HttpClientRequest req = sent.get();
        if (req != null) {
            req.reset();
            try {
                req.connection().close();
            } catch (RuntimeException e) {
                // no connection (yet): nothing to close
            }
        }
    }

    private static HttpHeaders headers(MultiMap m) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.forEach(e -> map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return HttpHeaders.of(map, (a, b) -> true);
    }

    /** The request's body (a JDK body publisher), or null when it has none. */
    private static byte[] bodyOf(HttpRequest request, long until) throws OutboundException {
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null || publisher.contentLength() == 0) {
            return null;
        }
        CompletableFuture<byte[]> collected = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.write(b, 0, b.length);
            }

            @Override
            public void onError(Throwable t) {
                collected.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                collected.complete(out.toByteArray());
            }
        });
        try {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
            return collected.get(left, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboundException(Failure.INTERRUPTED, "interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new OutboundException(Failure.IO, "the request body could not be read", e);
        }
    }
}
