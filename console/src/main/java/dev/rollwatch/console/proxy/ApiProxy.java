package dev.rollwatch.console.proxy;

import dev.rollwatch.console.config.ConsoleConfig;
import dev.rollwatch.console.rest.Problem;
import dev.rollwatch.console.security.CallerResolver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ANY /api/<svc>/<rest>} → {@code <upstream of svc>/api/v1/<rest>}, on the console's own origin so the page
 * needs no CORS. Request and answer are streamed (an event stream reaches the page event by event), only the
 * headers listed here cross in either direction (so hop-by-hop headers and the console's own cookies never do), no
 * redirect is followed, a connection must be made within the connect timeout and a non-stream answer must be complete
 * within the deadline. An unreachable service is a 502 problem naming it, never a stack trace.
 *
 * <p>The caller's {@code Authorization} header is forwarded as is; with OIDC sign-in and no header, the session's
 * access token is sent as the bearer. The console does not judge the token: the services do.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);

    /** Request headers sent upstream; anything else (Cookie, Connection, Proxy-*, TE, Upgrade…) is dropped. */
    static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Content-Length", "Accept",
            "Authorization", "Idempotency-Key", "Last-Event-ID", "If-Match", "If-None-Match");
    /** Response headers passed back to the page; anything else (Set-Cookie, Connection, Keep-Alive…) is dropped. */
    static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Length", "Retry-After",
            "Location", "Cache-Control", "ETag", "WWW-Authenticate", "Content-Disposition", "Idempotency-Key");
    static final String EVENT_STREAM = "text/event-stream";

    private final ConsoleConfig config;
    private final CallerResolver callers;
    private final Vertx vertx;
    private volatile HttpClient client;

    ApiProxy(ConsoleConfig config, CallerResolver callers, Vertx vertx) {
        this.config = config;
        this.callers = callers;
        this.vertx = vertx;
    }

    void install(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setTryUseCompression(false));
        // No path on the route: Vert.x matches routes on the normalised path, where /api/deploy/../x is /x already.
        // Ordered after Quarkus' own handlers (headers, authentication) and before the REST and static routes.
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
    }

    void close(@Observes ShutdownEvent event) {
        HttpClient c = client;
        if (c != null) {
            c.close();
        }
    }

    void handle(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        String rawPath = in.path();
        if (!ProxyPath.isApi(rawPath)) {
            rc.next();
            return;
        }
        ProxyPath path;
        try {
            path = ProxyPath.parse(rawPath);
        } catch (ProxyPath.Invalid e) {
            answer(rc, Problem.of(400, "invalid-path", "Bad Request", e.getMessage()));
            return;
        }
        Optional<String> upstream = config.upstream().of(path.service());
        if (upstream.isEmpty()) {
            answer(rc, Problem.of(404, "unknown-service", "Not Found", "the console proxies no service named '"
                    + path.service() + "' (known: deploy, monitor, rollback, notifier, audit)"));
            return;
        }
        in.pause();
        String authorization = in.getHeader(HttpHeaders.AUTHORIZATION);
        Uni<SecurityIdentity> session = rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (authorization != null || !callers.oidcEnabled() || session == null) {
            forward(rc, path, upstream.get(), authorization);
            return;
        }
        Context context = vertx.getOrCreateContext();
        session.subscribe().with(
                identity -> context.runOnContext(v -> {
                    String token = callers.sessionAccessToken(identity);
                    forward(rc, path, upstream.get(), token == null ? null : "Bearer " + token);
                }),
                failure -> context.runOnContext(v -> forward(rc, path, upstream.get(), null)));
    }

    private void forward(RoutingContext rc, ProxyPath path, String base, String authorization) {
        HttpServerRequest in = rc.request();
        String query = in.query();
        String target = stripSlash(base) + path.upstreamPath() + (query == null || query.isEmpty() ? "" : "?" + query);
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(target)
                .setFollowRedirects(false)
                .setConnectTimeout(config.proxy().connectTimeout().toMillis());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String name : REQUEST_HEADERS) {
            if (!name.equalsIgnoreCase("Authorization")) {
                List<String> values = in.headers().getAll(name);
                if (!values.isEmpty()) {
                    headers.set(name, values);
                }
            }
        }
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        options.setHeaders(headers);
        boolean hasBody = in.headers().contains(HttpHeaders.CONTENT_LENGTH)
                ? !"0".equals(in.getHeader(HttpHeaders.CONTENT_LENGTH).trim())
                : in.headers().contains(HttpHeaders.TRANSFER_ENCODING);

        Exchange exchange = new Exchange(rc, path.service());
        long deadline = config.proxy().deadline().toMillis();
        exchange.timer = vertx.setTimer(deadline, id -> exchange.deadlinePassed());
        client.request(options).onComplete(requested -> {
            if (requested.failed()) {
                exchange.unavailable(requested.cause());
                return;
            }
            HttpClientRequest out = requested.result();
            exchange.upstream = out;
            if (rc.body() != null && rc.body().available()) {
                // A body handler (installed by Quarkus when some extension needs one) has read the body already.
                io.vertx.core.buffer.Buffer body = rc.body().buffer();
                out.send(body == null ? io.vertx.core.buffer.Buffer.buffer() : body).onComplete(r -> {
                    if (r.failed()) {
                        exchange.unavailable(r.cause());
                    } else {
                        exchange.relay(r.result());
                    }
                });
            } else if (hasBody) {
                if (!in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                    out.setChunked(true);
                }
                out.send(in).onComplete(r -> {
                    if (r.failed()) {
                        exchange.unavailable(r.cause());
                    } else {
                        exchange.relay(r.result());
                    }
                });
            } else {
                in.resume();
                out.send().onComplete(r -> {
                    if (r.failed()) {
                        exchange.unavailable(r.cause());
                    } else {
                        exchange.relay(r.result());
                    }
                });
            }
        });
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    static void answer(RoutingContext rc, Problem problem) {
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem.toJson());
    }

    /** One proxied request: ends exactly once, by the answer, an unreachable service or the deadline. */
    private final class Exchange {
        private final RoutingContext rc;
        private final String service;
        private final AtomicBoolean finished = new AtomicBoolean();
        volatile long timer = -1;
        volatile HttpClientRequest upstream;

        Exchange(RoutingContext rc, String service) {
            this.rc = rc;
            this.service = service;
        }

        void relay(HttpClientResponse answer) {
            if (finished.get()) {
                answer.request().reset();
                return;
            }
            HttpServerResponse response = rc.response();
            response.setStatusCode(answer.statusCode());
            if (answer.statusMessage() != null) {
                response.setStatusMessage(answer.statusMessage());
            }
            for (String name : RESPONSE_HEADERS) {
                List<String> values = answer.headers().getAll(name);
                if (!values.isEmpty()) {
                    response.headers().set(name, values);
                }
            }
            String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
            boolean stream = type != null && type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
            if (stream) {
                // A live feed runs as long as the page follows it: no deadline, and no buffering on the way.
                vertx.cancelTimer(timer);
                response.headers().set("X-Accel-Buffering", "no");
                if (!response.headers().contains(HttpHeaders.CACHE_CONTROL)) {
                    response.headers().set(HttpHeaders.CACHE_CONTROL, "no-cache");
                }
            }
            if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                response.setChunked(true);
            }
            response.closeHandler(v -> {
                if (finished.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    answer.request().reset();
                }
            });
            answer.pipeTo(response).onComplete(done -> {
                if (finished.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    if (done.failed() && !response.ended()) {
                        response.reset();
                    }
                }
            });
        }

        void unavailable(Throwable cause) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(timer);
            LOG.warnf("the %s service did not answer the console's proxy (%s: %s)", service,
                    cause.getClass().getSimpleName(), cause.getMessage());
            rc.request().resume();
            answer(rc, Problem.of(502, "upstream-unavailable", "Bad Gateway",
                    "the " + service + " service is not reachable; try again shortly").withService(service));
        }

        void deadlinePassed() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            HttpClientRequest out = upstream;
            if (out != null) {
                out.reset();
            }
            LOG.warnf("the %s service did not answer the console's proxy within %s", service,
                    config.proxy().deadline());
            rc.request().resume();
            answer(rc, Problem.of(504, "upstream-timeout", "Gateway Timeout",
                    "the " + service + " service did not answer in time; try again shortly").withService(service));
        }
    }
}
