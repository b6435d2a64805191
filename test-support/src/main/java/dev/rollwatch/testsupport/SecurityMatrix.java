package dev.rollwatch.testsupport;

import io.restassured.RestAssured;
import io.restassured.builder.ResponseBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security matrix of a service's API (docs/security.md, "Endpoints × roles"), declared rather than written out: a
 * service's {@code *SecurityIT} lists its {@link Endpoint}s (method, path, body, the roles of its
 * {@code @RolesAllowed}, the service whose scope applies) and its {@link Caller}s, and {@link #check()} calls every
 * endpoint as every caller. The expected answer of a cell follows from the declaration — a bad token 401
 * {@code unauthorized} with {@code WWW-Authenticate: Bearer}, a caller with none of the roles 403 {@code forbidden}, a
 * caller whose {@code services} claim does not cover the endpoint's service 403 {@code forbidden-service}, anyone else
 * the endpoint's success status — unless the endpoint names the cell's answer itself ({@link Endpoint#expect}). Every
 * refusal must be problem+json whose {@code status} is the response's. All mismatches are reported at once, so one run
 * shows the whole table.
 */
public final class SecurityMatrix {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String PROBLEM = "https://rollwatch.dev/problems/";
    /**
     * The service of an object the service under test does not know: only a caller of every service ({@code *}, or
     * an admin-only token without a claim) is let through (to its 404); everyone else gets 403 {@code forbidden-service}.
     */
    public static final String UNKNOWN_SERVICE = "\u0000unknown";

    private final List<Caller> callers;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Supplier<String>> unchangedByRefusedChanges = new ArrayList<>();
    private final List<Supplier<String>> unchangedByAnyRefusal = new ArrayList<>();
    private Function<Response, String> explain = r -> "";

    private SecurityMatrix(List<Caller> callers) {
        this.callers = List.copyOf(callers);
        Set<String> names = new LinkedHashSet<>();
        for (Caller c : callers) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("two callers named " + c.name());
            }
        }
    }

    /** A matrix of these callers, in this order (typically {@link Caller#badTokens()} and one per role). */
    public static SecurityMatrix of(List<Caller> callers) {
        return new SecurityMatrix(callers);
    }

    public SecurityMatrix endpoint(Endpoint endpoint) {
        endpoints.add(endpoint);
        return this;
    }

    public SecurityMatrix endpoints(List<Endpoint> list) {
        endpoints.addAll(list);
        return this;
    }

    /** What a refused call of a {@linkplain Endpoint#mutating() mutating} endpoint must not change. */
    public SecurityMatrix unchangedWhenRefused(Supplier<String> state) {
        unchangedByRefusedChanges.add(state);
        return this;
    }

    /** What no refused call, of any endpoint, may change. */
    public SecurityMatrix unchangedByAnyRefusal(Supplier<String> state) {
        unchangedByAnyRefusal.add(state);
        return this;
    }

    /** Text added to a mismatch (e.g. why the service refused a token), given the response. */
    public SecurityMatrix explainMismatch(Function<Response, String> explain) {
        this.explain = explain;
        return this;
    }

    public List<Caller> callers() {
        return callers;
    }

    public Caller caller(String name) {
        return callers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no caller " + name));
    }

    /** The JWTs of every caller (not the {@code Bearer } prefix): what no log line may contain. */
    public List<String> tokens() {
        return callers.stream().map(Caller::token).filter(t -> t != null).toList();
    }

    /** The expected answer of every cell, endpoint by endpoint: the table the matrix checks. */
    public String table() {
        StringBuilder out = new StringBuilder();
        for (Endpoint e : endpoints) {
            out.append(e.label());
            for (Caller c : callers) {
                Expect x = e.expected(c);
                out.append(' ').append(x.status());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Calls every endpoint as every caller and fails, listing every cell that differs, when any does.
     *
     * @return the number of cells checked
     */
    public int check() {
        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        for (Endpoint e : endpoints) {
            for (Caller c : callers) {
                cells++;
                Cell cell = new Cell(e, c, e.expected(c));
                checkCell(cell, mismatches);
            }
        }
        assertThat(mismatches).as("cells of the security matrix that differ from docs/security.md (%d of %d cells)",
                mismatches.size(), cells).isEmpty();
        return cells;
    }

    private void checkCell(Cell cell, List<String> mismatches) {
        Endpoint e = cell.endpoint();
        Expect want = cell.expect();
        String name = e.label() + " as " + cell.caller().name();
        Request request = e.prepare.apply(cell);
        List<Supplier<String>> states = new ArrayList<>();
        if (!cell.allowed()) {
            states.addAll(unchangedByAnyRefusal);
            if (e.mutating()) {
                states.addAll(unchangedByRefusedChanges);
            }
            if (request.state() != null) {
                states.add(request.state());
            }
        }
        List<String> before = states.stream().map(Supplier::get).toList();
        Response r;
        try {
            r = e.streamed ? stream(cell.caller().authorization(), request.path(), e.accept)
                    : send(cell.caller().authorization(), e.method(), request.path(), request.body());
        } catch (RuntimeException ex) {
            mismatches.add(name + ": no answer (" + ex + ")");
            return;
        }
        if (r.statusCode() != want.status()) {
            mismatches.add(name + ": expected " + want.status() + ", got " + r.statusCode() + " "
                    + abbreviate(r.asString()) + explain.apply(r));
            return;
        }
        if (want.status() >= 400) {
            String contentType = String.valueOf(r.contentType());
            if (!contentType.startsWith(PROBLEM_JSON)) {
                mismatches.add(name + ": " + want.status() + " is not problem+json but " + contentType);
            } else {
                try {
                    int status = r.jsonPath().getInt("status");
                    String type = r.jsonPath().getString("type");
                    if (status != want.status()) {
                        mismatches.add(name + ": the problem's status is " + status);
                    }
                    if (want.type() != null ? !(PROBLEM + want.type()).equals(type)
                            : type == null || !type.startsWith(PROBLEM)) {
                        mismatches.add(name + ": problem type " + type + ", expected "
                                + (want.type() == null ? PROBLEM + "…" : PROBLEM + want.type()));
                    }
                } catch (RuntimeException ex) {
                    mismatches.add(name + ": not a problem document: " + abbreviate(r.asString()));
                }
            }
            if (want.status() == 401 && !"Bearer".equals(r.header("WWW-Authenticate"))) {
                mismatches.add(name + ": 401 without WWW-Authenticate: Bearer (" + r.header("WWW-Authenticate")
                        + ")");
            }
        }
        for (int i = 0; i < states.size(); i++) {
            String after = states.get(i).get();
            if (!before.get(i).equals(after)) {
                mismatches.add(name + ": refused, but the state changed from " + abbreviate(before.get(i)) + " to "
                        + abbreviate(after));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    /**
     * One request as RestAssured sends it: {@code authorization} as the header ({@link DefaultTokenFilter#NONE}: no
     * header), a String body as it is, any other body as JSON, a path containing {@code %} sent as already encoded.
     */
    public static Response send(String authorization, String method, String path, Object body) {
        RequestSpecification request = given().header("Authorization", authorization);
        if (path.contains("%")) {
            request = request.urlEncodingEnabled(false); // already encoded, as a hostile client would send it
        }
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.when().request(method, path).then().extract().response();
    }

    /**
     * Opens a response that may never end (a live stream), keeps its status and headers (and the body of anything
     * but a 200) and closes it. HTTP/1.1 and a client (so a connection) per call: with h2c the streams of all callers
     * would share one connection, and one abandoned mid-body would be reset while the next request went out.
     */
    public static Response stream(String authorization, String path, String accept) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + path)).timeout(Duration.ofSeconds(20));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (!DefaultTokenFilter.NONE.equals(authorization)) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> r = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = r.body()) {
                body = r.statusCode() == 200 ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            ResponseBuilder built = new ResponseBuilder().setStatusCode(r.statusCode()).setBody(body)
                    .setContentType(r.headers().firstValue("content-type").orElse(""));
            r.headers().firstValue("www-authenticate").ifPresent(v -> built.setHeader("WWW-Authenticate", v));
            return built.build();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("GET " + path + ": " + e, e);
        }
    }

    public static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + " chars)";
    }

    // ------------------------------------------------------------------------------------------ the model

    /** The answer a cell must get: a status and, for a refusal, the problem type's slug (null: any of ours). */
    public record Expect(int status, String type) {
        public static Expect status(int status) {
            return new Expect(status, null);
        }
    }

    /** One cell of the matrix, as the endpoint's request factory sees it. */
    public record Cell(Endpoint endpoint, Caller caller, Expect expect) {
        /** True when the cell is to succeed (the endpoint's success status or another below 400). */
        public boolean allowed() {
            return expect.status() < 400;
        }
    }

    /** The request of one cell; {@code state} reads what the call, if refused, must not change (may be null). */
    public record Request(String path, Object body, Supplier<String> state) {
    }

    /**
     * Who calls: a name for the report, the {@code Authorization} header, whether the token is valid at all, and the
     * roles and {@code services} claim it carries (for the expected answers).
     */
    public record Caller(String name, String subject, String authorization, boolean authenticated,
            Set<String> roles, List<String> services) {

        /** The six tokens (or none) every service must refuse with 401, each with every role and every service. */
        public static List<Caller> badTokens() {
            List<String> all = TestTokens.ALL_ROLES;
            return List.of(
                    unauthenticated("no token", DefaultTokenFilter.NONE),
                    unauthenticated("expired", TestTokens.builder().subject("sec-expired").roles(all).services("*")
                            .expired(Duration.ofMinutes(5)).bearer()),
                    unauthenticated("other key", TestTokens.otherKey().subject("sec-forger").roles(all)
                            .services("*").bearer()),
                    unauthenticated("other audience", TestTokens.builder().subject("sec-elsewhere").roles(all)
                            .services("*").audience("someone-else").bearer()),
                    unauthenticated("other issuer", TestTokens.builder().subject("sec-evil").roles(all)
                            .services("*").issuer("evil").bearer()),
                    unauthenticated("not a JWT", "Bearer not.a.jwt"));
        }

        public static Caller unauthenticated(String name, String authorization) {
            return new Caller(name, null, authorization, false, Set.of(), null);
        }

        /** A valid token of {@code subject} with these roles and no {@code services} claim. */
        public static Caller of(String name, String subject, String... roles) {
            return new Caller(name, subject, TestTokens.builder().subject(subject).roles(roles).bearer(), true,
                    Set.of(roles), null);
        }

        /** The same caller with a {@code services} claim (a JSON array) of these services ({@code *}: all). */
        public Caller services(String... services) {
            return new Caller(name, subject, TestTokens.builder().subject(subject).roles(List.copyOf(roles))
                    .services(services).bearer(), true, roles, List.of(services));
        }

        /** The JWT, without {@code Bearer }; null for no token. */
        public String token() {
            return authorization.startsWith("Bearer ") && authorization.length() > 7
                    && !authorization.equals("Bearer not.a.jwt") ? authorization.substring(7) : null;
        }

        public boolean hasAnyRole(Set<String> wanted) {
            return roles.stream().anyMatch(wanted::contains);
        }

        /**
         * Whether platform's {@code Caller} lets this token act on {@code service}: a claim covers its services
         * ({@code *}: all); without one, only a token whose one role is admin covers every service.
         */
        public boolean covers(String service) {
            if (services != null) {
                return services.contains("*") || services.contains(service);
            }
            return !roles.isEmpty() && roles.stream().allMatch("admin"::equals);
        }
    }

    /** Starts the declaration of an endpoint, labelled {@code method path} unless {@link Endpoint#label} says. */
    public static Endpoint endpoint(String method, String path) {
        return new Endpoint(method, method + " " + path).path(path);
    }

    public static Endpoint get(String path) {
        return endpoint("GET", path);
    }

    public static Endpoint post(String path, Object body) {
        return endpoint("POST", path).body(body);
    }

    public static Endpoint put(String path, Object body) {
        return endpoint("PUT", path).body(body);
    }

    public static Endpoint delete(String path) {
        return endpoint("DELETE", path);
    }

    /** One endpoint of the matrix: what to call, who may, and what a caller gets. */
    public static final class Endpoint {
        private final String method;
        private String label;
        private Function<Cell, String> path;
        private Function<Cell, Object> body = c -> null;
        private Function<Cell, Request> prepare = c -> new Request(path.apply(c), body.apply(c), null);
        private Set<String> roles = Set.of();
        private String service;
        private int ok = 200;
        private Boolean mutating;
        private boolean streamed;
        private String accept;
        private final Map<String, Expect> overrides = new LinkedHashMap<>();

        private Endpoint(String method, String label) {
            this.method = method;
            this.label = label;
        }

        public Endpoint label(String label) {
            this.label = label;
            return this;
        }

        public Endpoint path(String path) {
            this.path = c -> path;
            return this;
        }

        /** A path made for each cell (e.g. a fresh object for each call that is to succeed). */
        public Endpoint path(Function<Cell, String> path) {
            this.path = path;
            return this;
        }

        /** A fixed body (a String sent as it is, anything else as JSON); a {@link Supplier} is asked each cell. */
        public Endpoint body(Object body) {
            if (body instanceof Supplier<?> supplier) {
                return body(supplier);
            }
            this.body = c -> body;
            return this;
        }

        /** A body made for each cell. */
        public Endpoint body(Supplier<?> body) {
            this.body = c -> body.get();
            return this;
        }

        /** The whole request made for each cell, with what it must not change when refused. */
        public Endpoint prepare(Function<Cell, Request> prepare) {
            this.prepare = prepare;
            return this;
        }

        /** The roles of the endpoint's {@code @RolesAllowed}: a caller with none of them gets 403 forbidden. */
        public Endpoint roles(String... roles) {
            this.roles = Set.of(roles);
            return this;
        }

        /**
         * The service of the object the endpoint acts on ({@link #UNKNOWN_SERVICE} for an object the service does not
         * know): a caller whose scope does not cover it gets 403 forbidden-service. Not set: no scope check.
         */
        public Endpoint scope(String service) {
            this.service = service;
            return this;
        }

        /** The status of an allowed call (200 unless said). */
        public Endpoint ok(int status) {
            this.ok = status;
            return this;
        }

        /** Whether a refused call is checked against the matrix's {@link #unchangedWhenRefused} (default: not GET). */
        public Endpoint mutating(boolean mutating) {
            this.mutating = mutating;
            return this;
        }

        /** Sent as a live stream: only the status, the headers and a refusal's body are read. */
        public Endpoint streamed(String accept) {
            this.streamed = true;
            this.accept = accept;
            return this;
        }

        /** The answer of the named callers' cells, whatever the declaration would make of them. */
        public Endpoint expect(int status, String type, String... callers) {
            for (String c : callers) {
                overrides.put(c, new Expect(status, type));
            }
            return this;
        }

        public String label() {
            return label;
        }

        public String method() {
            return method;
        }

        public boolean mutating() {
            return mutating != null ? mutating : !method.equals("GET");
        }

        public Expect expected(Caller c) {
            Expect override = overrides.get(c.name());
            if (override != null) {
                return override;
            }
            if (!c.authenticated()) {
                return new Expect(401, "unauthorized");
            }
            if (!c.hasAnyRole(roles)) {
                return new Expect(403, "forbidden");
            }
            if (service != null && !c.covers(service)) {
                return new Expect(403, "forbidden-service");
            }
            return new Expect(ok, null);
        }

        @Override
        public String toString() {
            return label + " " + Arrays.asList(roles.toArray()) + (service == null ? "" : " of " + service);
        }
    }
}
