package dev.rollwatch.audit;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Target;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.SecurityMatrix;
import dev.rollwatch.testsupport.SecurityMatrix.Caller;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.rollwatch.audit.AuditTestSupport.entries;
import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static dev.rollwatch.testsupport.SecurityMatrix.get;
import static dev.rollwatch.testsupport.SecurityMatrix.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what (docs/security.md, "Endpoints × roles"): every audit endpoint is the auditor's alone. Every
 * endpoint × every kind of caller gets the status the table says; a refused replay stores nothing; hostile replay
 * bodies get 4xx problem+json and store nothing; no log record carries a token.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditSecurityIT {

    static final String PROBLEM_JSON = SecurityMatrix.PROBLEM_JSON;
    static final String PROBLEM = SecurityMatrix.PROBLEM;

    static final Set<String> TOKENS = new LinkedHashSet<>();
    static LogCapture log;
    /** The callers of the matrix: six bad tokens (all roles, so only the token is wrong) and one per role. */
    static final List<Caller> CALLERS = new ArrayList<>();
    static String auditor;
    static KafkaTestClient kafka;

    @BeforeAll
    static void tokensAndLogCapture() {
        log = LogCapture.start();
        CALLERS.addAll(Caller.badTokens());
        for (String role : List.of("deployer", "operator", "auditor", "admin", "agent")) {
            // Every service: without the claim a token acts on none (platform Caller), which this matrix is not about.
            CALLERS.add(Caller.of(role, "sec-" + role, role).services("*"));
        }
        auditor = token("sec-setup-auditor", "auditor");
        CALLERS.stream().map(Caller::token).filter(t -> t != null).forEach(TOKENS::add);
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void stopCapture() {
        log.stop();
        kafka.close();
    }

    /**
     * Every endpoint × every caller ({@link SecurityMatrix}): all of them the auditor's, a replay an auditor's of every
     * service. No refused call stores a replay. The live stream (follow=true) never ends by itself: its status and
     * headers are all the matrix reads.
     */
    @Test
    void everyAuditEndpointIsTheAuditorsAlone() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());
        long position = entries(flow.deploymentId).getLong("entries[0].position");
        String replayId = send(auditor, "POST", "/api/v1/audit/replays",
                Map.of("deploymentId", flow.deploymentId)).then().statusCode(202).extract().path("id");

        SecurityMatrix matrix = SecurityMatrix.of(CALLERS).endpoints(List.of(
                        get("/api/v1/audit/events?deploymentId=" + flow.deploymentId).label("GET /events")
                                .roles("auditor"),
                        get("/api/v1/audit/events/" + position + "/raw").label("GET /events/{position}/raw")
                                .roles("auditor"),
                        get("/api/v1/audit/events/stream?deploymentId=" + flow.deploymentId)
                                .label("GET /events/stream (export)").roles("auditor"),
                        get("/api/v1/audit/events/stream?follow=true&deploymentId=" + flow.deploymentId)
                                .label("GET /events/stream?follow=true").streamed(null).roles("auditor"),
                        get("/api/v1/audit/verify?from=" + position + "&to=" + position).label("GET /verify")
                                .roles("auditor"),
                        get("/api/v1/audit/deployments/" + flow.deploymentId + "/timeline")
                                .label("GET /deployments/{id}/timeline").roles("auditor"),
                        get("/api/v1/audit/checkpoints").roles("auditor"),
                        get("/api/v1/audit/checkpoints/public-key").roles("auditor"),
                        get("/api/v1/audit/checkpoints/trusted-keys").roles("auditor"),
                        get("/api/v1/audit/checkpoints/export").roles("auditor"),
                        post("/api/v1/audit/replays", Map.of("deploymentId", flow.deploymentId,
                                "destination", "audit-replay")).label("POST /replays").roles("auditor")
                                .scope(SecurityMatrix.UNKNOWN_SERVICE).ok(202),
                        get("/api/v1/audit/replays/" + replayId).label("GET /replays/{id}").roles("auditor")))
                .unchangedByAnyRefusal(() -> "replays: " + replays());
        assertThat(matrix.check()).isEqualTo(12 * 11);
        assertNoTokenLogged();
    }

    /**
     * Issue 17, 5: audit reads honour the token's services claim. An auditor of {@code checkout} sees checkout's
     * deployment (the entries whose bytes name the service, and the rest of that deployment through its
     * DeploymentStarted) and nothing of {@code cart}'s; an auditor token without the claim sees no service's entries
     * (platform Caller: fail closed). Verify reveals only positions, counts and hashes: any auditor may run it. A
     * replay covers every service: a scoped auditor gets 403.
     */
    @Test
    void auditReadsHonourTheServicesClaim() throws Exception {
        RollbackFlow checkout = new RollbackFlow();
        sendInOrder(kafka, checkout.events());
        String cartId = UUID.randomUUID().toString();
        Envelope<DeploymentStarted> cartStarted = Envelope.of(RollbackFlow.DEPLOY, cartId, new DeploymentStarted(
                "cart", "production", "1.1.0", "1.0.0", new Target("http", "http://127.0.0.1:8090", null),
                List.of(StepSpec.setWeight(5)), null, "bob"));
        Envelope<StepStarted> cartStep = Envelope.of(RollbackFlow.DEPLOY, cartId,
                new StepStarted(0, StepKind.SET_WEIGHT, 5, null)).causedBy(cartStarted);
        sendInOrder(kafka, List.of(cartStarted, cartStep));
        long cartPosition = entries(cartId).getLong("entries[1].position");
        long checkoutPosition = entries(checkout.deploymentId).getLong("entries[1].position");
        long before = entries(checkout.deploymentId).getLong("entries[0].position") - 1;

        String scoped = token2("sec-checkout-auditor", List.of("checkout"));
        assertThat(page(scoped, "deploymentId=" + checkout.deploymentId)).hasSize(checkout.events().size());
        assertThat(page(scoped, "deploymentId=" + cartId)).isEmpty();
        List<String> subjects = page(scoped, "after=" + before).stream().map(e -> (String) e.get("subject")).toList();
        assertThat(subjects).contains(checkout.deploymentId).doesNotContain(cartId);
        assertThat(send(scoped, "GET", "/api/v1/audit/events/" + checkoutPosition + "/raw", null).statusCode())
                .isEqualTo(200);
        assertThat(send(scoped, "GET", "/api/v1/audit/events/" + cartPosition + "/raw", null).statusCode())
                .isEqualTo(404);
        assertThat(send(scoped, "GET", "/api/v1/audit/deployments/" + checkout.deploymentId + "/timeline", null)
                .statusCode()).isEqualTo(200);
        assertThat(send(scoped, "GET", "/api/v1/audit/deployments/" + cartId + "/timeline", null).statusCode())
                .isEqualTo(404);
        String export = send(scoped, "GET", "/api/v1/audit/events/stream?after=" + before, null).asString();
        assertThat(export).contains(checkout.deploymentId).doesNotContain(cartId);
        assertThat(send(scoped, "GET", "/api/v1/audit/verify", null).jsonPath().getBoolean("valid")).isTrue();
        Response replay = send(scoped, "POST", "/api/v1/audit/replays", Map.of("deploymentId",
                checkout.deploymentId));
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.jsonPath().getString("type")).isEqualTo(PROBLEM + "forbidden-service");

        String both = token2("sec-two-services-auditor", List.of("checkout", "cart"));
        assertThat(page(both, "deploymentId=" + cartId)).hasSize(2);
        String claimless = TestTokens.builder().subject("sec-claimless-auditor").roles("auditor").bearer();
        TOKENS.add(claimless.substring(7));
        assertThat(page(claimless, "deploymentId=" + checkout.deploymentId)).isEmpty();
        assertThat(send(claimless, "GET", "/api/v1/audit/events/" + checkoutPosition + "/raw", null).statusCode())
                .isEqualTo(404);
        assertThat(page(auditor, "deploymentId=" + cartId)).hasSize(2);
    }

    private static List<Map<String, Object>> page(String authorization, String query) {
        Response r = send(authorization, "GET", "/api/v1/audit/events?limit=1000&" + query, null);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getList("entries");
    }

    static String token2(String subject, List<String> services) {
        String bearer = TestTokens.builder().subject(subject).roles("auditor")
                .services(services.toArray(String[]::new)).bearer();
        TOKENS.add(bearer.substring(7));
        return bearer;
    }

    @Test
    void theReplaysRequesterIsTheTokenSubjectAndTheBodyCannotNameOne() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, List.of(flow.started));
        String dora = token("dora-auditor", "auditor");
        Response started = send(dora, "POST", "/api/v1/audit/replays", Map.of("deploymentId", flow.deploymentId));
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        assertThat(started.jsonPath().getString("requestedBy")).isEqualTo("dora-auditor");
        String id = started.jsonPath().getString("id");
        assertThat(send(auditor, "GET", "/api/v1/audit/replays/" + id, null).jsonPath().getString("requestedBy"))
                .isEqualTo("dora-auditor");
        assertThat(log.lines().stream())
                .anyMatch(l -> l.startsWith("audit replay requested: replayId=" + id + " requestedBy=dora-auditor "));

        long before = replays();
        Response named = send(dora, "POST", "/api/v1/audit/replays", Map.of("deploymentId", flow.deploymentId,
                "requestedBy", "mallory"));
        assertThat(named.statusCode()).isEqualTo(400);
        assertThat(named.contentType()).startsWith(PROBLEM_JSON);
        assertThat(named.jsonPath().getString("type")).isEqualTo(PROBLEM + "malformed-body");
        assertThat(replays()).isEqualTo(before);
    }

    @Test
    void hostileReplayBodiesGetProblemDetailsAndStoreNothing() {
        String fuzzer = token("sec-fuzzer", "auditor");
        String big = "x".repeat(1024 * 1024 + 100);
        List<Object> bodies = new ArrayList<>(List.of(
                "{\"fromPosition\": \"abc\"}",
                "{\"deploymentId\": {\"$ne\": null}}",
                "{\"toPosition\": [1, 2]}",
                "{\"fromPosition\": 1.5e400}",
                "{\"destination\": true, \"type\": 3}",
                "{\"deploymentId\": ",
                "[1, 2, 3]",
                "{\"requestedBy\": \"mallory\"}",
                "{\"deploymentId\": \"x\", \"status\": \"COMPLETED\"}",
                "{\"deploymentId\": \"" + big + "\"}",
                Map.of("deploymentId", "x".repeat(300)),
                Map.of("fromPosition", -1),
                Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z")));
        for (String h : List.of("'; DROP TABLE audit_entry; --", "<script>alert(1)</script>", "${jndi:ldap://x}")) {
            for (String field : List.of("deploymentId", "type", "source", "destination", "from", "to")) {
                bodies.add(Map.of(field, h));
            }
        }
        long before = replays();
        long head = head();
        List<String> mismatches = new ArrayList<>();
        for (Object body : bodies) {
            Response response = send(fuzzer, "POST", "/api/v1/audit/replays", body);
            String what = abbreviate(String.valueOf(body));
            int status = response.statusCode();
            if (status < 400 || status >= 500 || status == 429
                    || !String.valueOf(response.contentType()).startsWith(PROBLEM_JSON)) {
                mismatches.add(what + ": " + status + " " + response.contentType() + " "
                        + abbreviate(response.asString()));
            }
        }
        assertThat(bodies).hasSizeGreaterThan(25);
        assertThat(mismatches).as("hostile replay requests that were not refused with 4xx problem+json").isEmpty();
        Response tooLarge = send(fuzzer, "POST", "/api/v1/audit/replays", "{\"deploymentId\": \"" + big + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.jsonPath().getString("type")).isEqualTo(PROBLEM + "body-too-large");
        assertThat(replays()).as("replays stored").isEqualTo(before);
        assertThat(head()).as("the log itself").isEqualTo(head);
        assertNoTokenLogged();
    }

    // ------------------------------------------------------------------------------------------ helpers

    static String token(String subject, String... roles) {
        String bearer = TestTokens.builder().subject(subject).roles(roles).services("*").bearer();
        TOKENS.add(bearer.substring(7));
        return bearer;
    }

    static Response send(String authorization, String method, String path, Object body) {
        return SecurityMatrix.send(authorization, method, path, body);
    }

    static long replays() {
        return count("SELECT count(*) FROM audit.audit_replay");
    }

    static long head() {
        return count("SELECT coalesce(max(position), 0) FROM audit.audit_entry");
    }

    static long count(String sql) {
        try (Connection c = AuditTestSupport.superuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String abbreviate(String s) {
        return SecurityMatrix.abbreviate(s);
    }

    static void assertNoTokenLogged() {
        log.assertNoneContains(TOKENS);
    }
}
