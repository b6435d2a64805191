package dev.rollwatch.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * JSON over HTTP to the services: {@code java.net.http.HttpClient}, the bearer token when one is set, and every
 * non-2xx answer turned into an {@link ApiException} whose message is the problem's {@code title: detail}.
 */
public class ApiClient {

    /** The one JSON mapper of the CLI: java.time support, ISO-8601 dates. */
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String token;

    public ApiClient(String token) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    public ObjectMapper json() {
        return JSON;
    }

    public JsonNode get(String url) {
        return parse(send(builder(url).GET().build()));
    }

    public JsonNode post(String url, Object body) {
        return post(url, body, Map.of());
    }

    public JsonNode post(String url, Object body, Map<String, String> headers) {
        HttpRequest.Builder b = builder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)));
        headers.forEach(b::header);
        return parse(send(b.build()));
    }

    public JsonNode put(String url, Object body) {
        return parse(send(builder(url).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body))).build()));
    }

    /** A streamed GET (NDJSON, SSE): the open response, status checked; the caller closes the body. */
    public HttpResponse<InputStream> stream(String url, String accept) {
        HttpRequest request = authorised(HttpRequest.newBuilder(uri(url))).header("Accept", accept).GET().build();
        return exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Sends and returns the raw answer, whatever its status (for callers that handle statuses themselves). */
    public <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new ApiException(0, "cannot reach " + origin(request.uri()) + " (" + describe(e)
                    + "): is the stack up? (./rollwatch up)");
        } catch (HttpTimeoutException e) {
            throw new ApiException(0, "no answer from " + origin(request.uri()) + " within " + REQUEST_TIMEOUT.toSeconds()
                    + " s");
        } catch (IOException e) {
            throw new ApiException(0, "request to " + request.uri() + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    public HttpRequest.Builder authorised(HttpRequest.Builder b) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Throws the problem of a non-2xx answer whose body was read as text. */
    public void check(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw failure(response.statusCode(), response.body());
        }
    }

    /**
     * The exception for a non-2xx answer: its problem as {@code title: detail}, and for 401 and 403 what to do about
     * the token.
     */
    public ApiException failure(int status, String body) {
        String message = Problems.render(status, body, JSON);
        String hint = authHint(status, token != null);
        return new ApiException(status, hint == null ? message : message + "\n" + hint);
    }

    /** The hint printed under a 401 or 403 (null for any other status). */
    public static String authHint(int status, boolean tokenSent) {
        String mint = "mint one: ./rollwatch token --role deployer --service <name>";
        if (status == 401) {
            return tokenSent
                    ? "  hint: the token was refused (expired, signed by another key, or for another issuer or "
                            + "audience); " + mint + ", then pass it with --token or ROLLWATCH_TOKEN"
                    : "  hint: no token was sent: pass --token or set ROLLWATCH_TOKEN; " + mint;
        }
        if (status == 403) {
            return "  hint: the token lacks the role or the service this needs (roles per endpoint: "
                    + "docs/security.md); " + mint + " (--role operator to approve, promote or roll back)";
        }
        return null;
    }

    /** {@code base + path + ?k=v&...}, skipping null and blank values. */
    public static String url(String base, String path, Map<String, ?> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> {
            if (v != null && !v.toString().isBlank()) {
                q.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        });
        String joined = stripSlash(base) + path;
        return q.length() == 0 ? joined : joined + "?" + q;
    }

    public static Map<String, Object> query(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(keyValues[i].toString(), keyValues[i + 1]);
        }
        return m;
    }

    public static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private HttpRequest.Builder builder(String url) {
        return authorised(HttpRequest.newBuilder(uri(url)).timeout(REQUEST_TIMEOUT).header("Accept",
                "application/json"));
    }

    private HttpResponse<String> send(HttpRequest request) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        check(response);
        return response;
    }

    private static JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(response.statusCode(), "the answer of " + response.uri() + " is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String write(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body: " + e.getMessage(), e);
        }
    }

    private static URI uri(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ApiException(0, "not a URL: " + url);
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
