package dev.rollwatch.platform.security;

import dev.rollwatch.platform.rest.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is larger than {@code quarkus.http.limits.max-body-size} with 413
 * problem+json before anything reads it, and a body of undeclared length ({@code Transfer-Encoding: chunked}, no
 * {@code Content-Length}) with 411 problem+json: the API's bodies are small JSON documents, and a stream of unknown
 * length could only be cut off half-read.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String BODY = "{\"type\":\"" + Problem.TYPE_BASE + "body-too-large\",\"title\":"
            + "\"Request body too large\",\"status\":413,\"detail\":\"the request body is larger than %d bytes\"}";
    private static final String LENGTH_REQUIRED = "{\"type\":\"" + Problem.TYPE_BASE + "length-required\",\"title\":"
            + "\"Length required\",\"status\":411,\"detail\":\"a request body must declare its Content-Length\"}";

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit) {
        long max = limit.asLongValue();
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null && ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                ctx.response().setStatusCode(411).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close").end(LENGTH_REQUIRED);
                return;
            }
            if (length != null) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    declared = Long.MAX_VALUE;
                }
                if (declared > max) {
                    ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                            .putHeader(HttpHeaders.CONNECTION, "close").end(String.format(BODY, max));
                    return;
                }
            }
            ctx.next();
        });
    }
}
