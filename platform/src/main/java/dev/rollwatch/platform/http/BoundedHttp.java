package dev.rollwatch.platform.http;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Outbound HTTP calls with an overall deadline and a byte cap. The JDK client's request timeout ends when the
 * response headers arrive; a remote that then drips its body (or never ends it) would hold the calling thread for
 * ever. {@link #send} bounds the whole exchange — connect, headers and body — by one deadline, and stops reading a
 * body at {@code maxBytes} (a longer body is an error: the call fails, the rest is not read). Clients made by
 * {@link #client} never follow redirects.
 * <p>
 * Failures are {@link OutboundException}s whose {@link OutboundException#getMessage() message} says what failed in
 * fixed words (timed out, refused, too large, …) without the remote's text, so callers may show it to API users.
 * <p>
 * {@link #send(HttpClient, HttpRequest, Duration, long, OutboundUrlPolicy, String)} also vets the destination with
 * the {@link OutboundUrlPolicy} and connects to the one address the check vetted (no DNS rebinding between check
 * and connect); every outbound call to a URL a user or an admin chose goes through it.
 */
public final class BoundedHttp {

    private BoundedHttp() {
    }

    /** A client for bounded calls: HTTP/1.1, redirects never followed, the given connect timeout. */
    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A response read within its deadline and cap. */
    public record Response(int status, HttpHeaders headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Why a bounded call failed. */
    public enum Failure {
        /** No complete answer (headers and body) within the deadline. */
        TIMEOUT,
        /** The body was longer than the cap. */
        TOO_LARGE,
        /** The connection was refused or could not be opened in time. */
        CONNECT,
        /** Any other I/O error (connection reset, malformed answer, …). */
        IO,
        /** The calling thread was interrupted. */
        INTERRUPTED
    }

    /** A bounded call that failed; the message is fit for API callers (no remote text). */
    public static final class OutboundException extends Exception {
        private final Failure failure;

        OutboundException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }

        /** Worth another attempt: a timeout or an I/O error (a refusal, an oversized body, an interrupt are not). */
        public boolean retriable() {
            return failure == Failure.TIMEOUT || failure == Failure.IO || failure == Failure.CONNECT;
        }
    }

    /**
     * Sends {@code request} and reads at most {@code maxBytes} of its body, all within {@code deadline}. With
     * {@code maxBytes} 0 only the status and headers are read: the body is not read at all. On the deadline the
     * exchange is cancelled (its connection closed).
     */
    public static Response send(HttpClient client, HttpRequest request, Duration deadline, int maxBytes)
            throws OutboundException {
        long millis = Math.max(1, deadline.toMillis());
        AtomicReference<Capped> subscriber = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> {
            Capped capped = new Capped(maxBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1));
            subscriber.set(capped);
            return capped;
        });
        try {
            HttpResponse<byte[]> response = future.get(millis, TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            abort(future, subscriber);
            throw new OutboundException(Failure.TIMEOUT, "no complete answer within " + millis + " ms", null);
        } catch (InterruptedException e) {
            abort(future, subscriber);
            Thread.currentThread().interrupt();
            throw new OutboundException(Failure.INTERRUPTED, "interrupted", e);
        } catch (ExecutionException e) {
            throw classify(e.getCause(), millis);
        } catch (CancellationException e) {
            throw new OutboundException(Failure.IO, "call cancelled", e);
        }
    }

    /**
     * Like {@link #send(HttpClient, HttpRequest, Duration, int)}, and first vets {@code request}'s URI with
     * {@code policy} for {@code environment} (a deployment environment, or null) and then connects to the address the
     * check vetted, not to whatever the name resolves to later: the connection is pinned (the {@code Host} header,
     * TLS SNI and the certificate check still use the URL's host name). Redirects are never followed. Of
     * {@code client} only the connect timeout is used (the deadline when it has none).
     *
     * @throws OutboundUrlPolicy.RefusedDestination when the policy refuses the URI (nothing was sent)
     */
    public static Response send(HttpClient client, HttpRequest request, Duration deadline, long maxBytes,
            OutboundUrlPolicy policy, String environment) throws OutboundException {
        OutboundUrlPolicy.Destination destination = policy.check(request.uri().toString(), environment);
        return PinnedTransport.shared().send(request, destination,
                client.connectTimeout().orElse(deadline), deadline, maxBytes);
    }

    private static void abort(CompletableFuture<?> future, AtomicReference<Capped> subscriber) {
        Capped capped = subscriber.get();
        if (capped != null) {
            capped.abort(); // stops reading the body and closes the connection
        }
        future.cancel(true);
    }

    static OutboundException classify(Throwable cause, long millis) {
        if (cause instanceof TooLarge t) {
            return new OutboundException(Failure.TOO_LARGE, "answer longer than " + t.cap + " bytes", null);
        }
        if (cause instanceof HttpConnectTimeoutException
                || cause != null && cause.getClass().getName().equals("io.netty.channel.ConnectTimeoutException")) {
            return new OutboundException(Failure.CONNECT, "could not connect in time", cause);
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return new OutboundException(Failure.TIMEOUT, "no complete answer within " + millis + " ms", cause);
        }
        if (cause instanceof ConnectException) {
            return new OutboundException(Failure.CONNECT, "connection refused", cause);
        }
        if (cause instanceof IllegalArgumentException) {
            return new OutboundException(Failure.IO, "invalid request", cause);
        }
        return new OutboundException(Failure.IO, "I/O error (" + (cause == null ? "unknown"
                : cause.getClass().getSimpleName()) + ")", cause);
    }

    /**
     * A URL as it may be shown: scheme, host, port and path — no user info, query or fragment (they may carry
     * credentials or be chosen to probe).
     */
    public static String where(String url) {
        try {
            URI u = URI.create(url);
            if (u.getHost() == null) {
                return "(invalid URL)";
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }

    /** At most {@code max} characters of a remote text on one line, control characters replaced: for logs only. */
    public static String logExcerpt(byte[] body, int max) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, max * 4), StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}+", " ").strip();
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    static final class TooLarge extends RuntimeException {
        final long cap;

        TooLarge(long cap) {
            super("answer longer than " + cap + " bytes", null, false, false);
            this.cap = cap;
        }
    }

    /** Collects a body up to a cap; fails (and stops reading) past it, or at once when Content-Length says so. */
    static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final int cap;
        private final long declared;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        Capped(int cap, long declared) {
            this.cap = Math.max(0, cap);
            this.declared = declared;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cap == 0) {
                s.cancel(); // status and headers only
                result.complete(new byte[0]);
            } else if (declared > cap) {
                s.cancel();
                result.completeExceptionally(new TooLarge(cap));
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                int n = b.remaining();
                if (bytes.size() + (long) n > cap) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(cap));
                    return;
                }
                byte[] chunk = new byte[n];
                b.get(chunk);
                bytes.write(chunk, 0, n);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        void abort() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.cancel(false);
        }
    }
}
