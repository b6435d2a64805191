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
 * problem+json before anything reads it. (A chunked body that grows past the limit is cut off by Vert.x itself.)
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String BODY = "{\"type\":\"" + Problem.TYPE_BASE + "body-too-large\",\"title\":"
            + "\"Request body too large\",\"status\":413,\"detail\":\"the request body is larger than %d bytes\"}";

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit) {
        long max = limit.asLongValue();
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
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
