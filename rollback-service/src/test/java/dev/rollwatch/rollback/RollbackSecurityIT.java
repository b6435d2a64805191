package dev.rollwatch.rollback;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Severity;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.SecurityMatrix;
import dev.rollwatch.testsupport.SecurityMatrix.Caller;
import dev.rollwatch.testsupport.SecurityMatrix.Endpoint;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.rollwatch.rollback.Fixtures.ENV;
import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.testsupport.SecurityMatrix.get;
import static dev.rollwatch.testsupport.SecurityMatrix.post;
import static dev.rollwatch.testsupport.SecurityMatrix.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * Identity and access of the rollback service's API (docs/security.md, "Endpoints × roles"): every endpoint × every
 * kind of caller, the service scope (objects and lists), hostile requests, who did what, and no token in the log.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollbackSecurityIT {

    /** The objects of one service, created through the paths the rollback service allows. */
    record Objects(String service, String goodDeployment, String active, String decision) {
    }

    private static final String PROBLEM = "application/problem+json";
    private static final Set<String> TOKENS_USED = ConcurrentHashMap.newKeySet();
    private static LogCapture log;

    private static KafkaTestClient kafka;
    private static Objects a;
    private static Objects b;
    private static SecurityMatrix matrix;

    @BeforeEach
    void setUp() {
        if (a != null) {
            return;
        }
        log = LogCapture.start();
        kafka = KafkaTestClient.forTestBroker();
        a = objects(Fixtures.unique("sec-a"));
        b = objects(Fixtures.unique("sec-b"));
        matrix = matrix();
        matrix.tokens().forEach(t -> remember("Bearer " + t));
    }

    @AfterAll
    static void tearDown() {
        log.stop();
        if (kafka != null) {
            kafka.close();
        }
    }

    /**
     * A service with a policy of its own (rollbacks escalate only after an hour, so nothing changes by itself
     * during the test), a version that finished SUCCEEDED (its last known good) and an active deployment with a
     * decision (a P3 breach: NOTIFY).
     */
    private static Objects objects(String service) {
        String setup = bearer("setup-operator", "operator", service);
        call("PUT", "/api/v1/policies/" + service + "/" + ENV, "{\"rollbackDeadline\": \"1h\", \"reason\": \"setup\"}",
                setup).then().statusCode(200);
        String good = Fixtures.start(kafka, service, "1.0.0", null);
        kafka.send(Fixtures.finished(good, service, "1.0.0", DeploymentOutcome.SUCCEEDED));
        await().atMost(WAIT).until(() -> given().get(lastKnownGood(service)).statusCode() == 200);
        String active = activeDeployment(service);
        kafka.send(Fixtures.breach(active, service, "1.1.0", Severity.P3, "error-rate", Instant.now()));
        String decision = (String) Fixtures.awaitDecisions(active, 1).get(0).get("id");
        return new Objects(service, good, active, decision);
    }

    private static String activeDeployment(String service) {
        return Fixtures.start(kafka, service, "1.1.0", "1.0.0");
    }

    private static String lastKnownGood(String service) {
        return "/api/v1/services/" + service + "/environments/" + ENV + "/last-known-good";
    }

    private static String remember(String token) {
        TOKENS_USED.add(token);
        return token;
    }

    private static String bearer(String subject, String role, String service) {
        TestTokens.Builder builder = TestTokens.builder().subject(subject).roles(role);
        if (service != null) {
            builder.services(service);
        }
        return remember(builder.bearer());
    }

    private static String token(String caller) {
        return matrix.caller(caller).authorization();
    }

    /**
     * Every endpoint × {the six bad tokens, deployer of service A, operator without a services claim, operator of
     * every service ({@code *}), auditor, admin, agent}; the rows on service B show the deployer's scope inside the
     * matrix. Tokens without a {@code services} claim act on no service (the scope fails closed, issue 17): the
     * unscoped operator reads lists (empty of its objects) and is refused every object, and a rollback of a deployment
     * this service does not know is 403 to it, 404 only to the operator of every service. A refused change changes
     * neither service's policies, deployments and decisions.
     */
    private static SecurityMatrix matrix() {
        List<Caller> callers = new ArrayList<>(Caller.badTokens());
        callers.add(Caller.of("deployer", "deployer-a", "deployer").services(a.service()));
        callers.add(Caller.of("operator", "operator-unscoped", "operator"));
        callers.add(Caller.of("operator *", "operator-1", "operator").services("*"));
        callers.add(Caller.of("auditor", "auditor-1", "auditor"));
        callers.add(Caller.of("admin", "admin-1", "admin"));
        callers.add(Caller.of("agent", "agent-1", "agent"));
        String policy = "{\"repeatCount\": 3, \"reason\": \"matrix\"}";
        String reason = "{\"reason\": \"matrix\"}";
        String resolve = "{\"action\": \"HOLD\", \"reason\": \"matrix\"}";
        List<Endpoint> rows = new ArrayList<>();
        for (String list : List.of("/api/v1/policies", "/api/v1/decisions", "/api/v1/policy-packs",
                "/api/v1/policy-packs/runbook")) {
            rows.add(get(list).roles("deployer", "operator"));
        }
        rows.add(post("/api/v1/deployments/" + java.util.UUID.randomUUID() + "/rollback", reason)
                .label("POST /api/v1/deployments/{unknown}/rollback").roles("operator")
                .scope(SecurityMatrix.UNKNOWN_SERVICE).ok(404));
        for (Objects o : List.of(a, b)) {
            String policyPath = "/api/v1/policies/" + o.service() + "/" + ENV;
            String s = o.service();
            rows.add(get(policyPath).roles("deployer", "operator").scope(s));
            rows.add(get(policyPath + "/versions").roles("deployer", "operator").scope(s));
            rows.add(put(policyPath, policy).roles("operator").scope(s));
            rows.add(get("/api/v1/decisions?deploymentId=" + o.active()).roles("deployer", "operator").scope(s));
            rows.add(get("/api/v1/decisions?service=" + s).roles("deployer", "operator").scope(s));
            rows.add(get("/api/v1/decisions/" + o.decision()).roles("deployer", "operator").scope(s));
            // the decision is a NOTIFY: an operator may acknowledge it, but there is nothing to resolve (409)
            rows.add(post("/api/v1/decisions/" + o.decision() + "/acknowledge", null).roles("operator").scope(s));
            rows.add(post("/api/v1/decisions/" + o.decision() + "/resolve", resolve).roles("operator").scope(s)
                    .ok(409));
            rows.add(get("/api/v1/deployments/" + o.active()).roles("deployer", "operator").scope(s));
            rows.add(get(lastKnownGood(s)).roles("deployer", "operator").scope(s));
            rows.add(post("/api/v1/deployments/" + o.active() + "/rollback", reason).roles("operator").scope(s)
                    .ok(202));
        }
        return SecurityMatrix.of(callers).endpoints(rows).unchangedWhenRefused(RollbackSecurityIT::state);
    }

    private static Response call(String method, String path, String body, String authorization) {
        return SecurityMatrix.send(authorization, method, path, body);
    }

    private static String read(String path) {
        return given().get(path).then().statusCode(200).extract().asString();
    }

    /** What a refused request must not change: both services' policies, deployments and decisions. */
    private static String state(String... extraDeployments) {
        StringBuilder s = new StringBuilder();
        for (Objects o : List.of(a, b)) {
            s.append(read("/api/v1/policies/" + o.service() + "/" + ENV + "/versions"));
            s.append(read("/api/v1/deployments/" + o.active()));
            s.append(read("/api/v1/decisions?size=200&service=" + o.service()));
        }
        for (String id : extraDeployments) {
            s.append(read("/api/v1/deployments/" + id));
            s.append(read("/api/v1/decisions?size=200&deploymentId=" + id));
        }
        return s.toString();
    }

    /** The policies of every service in the test's environment, as they are now (404 when there is none). */
    private static String anyService() {
        Response r = given().get("/api/v1/policies/*/" + ENV + "/versions").then().extract().response();
        return r.statusCode() + " " + r.asString();
    }

    @Test
    @Order(1)
    void everyEndpointTimesEveryCaller() {
        assertThat(matrix.check()).isEqualTo(27 * 12);
    }

    @Test
    @Order(2)
    void whoDidWhatIsTheTokenSubject() {
        // The matrix's allowed changes were made by operator-1: the policy version and the manual rollback say so.
        given().get("/api/v1/policies/" + a.service() + "/" + ENV).then().statusCode(200)
                .body("createdBy", equalTo("operator-1")).body("reason", equalTo("matrix"));
        given().get("/api/v1/decisions?action=ROLLBACK&deploymentId=" + a.active()).then().statusCode(200)
                .body("items[0].requestedBy", equalTo("operator-1"))
                .body("items[0].trigger", equalTo("MANUAL"));
        var event = kafka.awaitEvent(dev.rollwatch.events.Topics.ROLLBACK_REQUESTED, a.active(),
                dev.rollwatch.events.RollbackRequested.class, WAIT);
        assertThat(event.data().requestedBy()).isEqualTo("operator-1");
        var policyChanges = await().atMost(WAIT).until(() -> kafka.eventsAbout(dev.rollwatch.events.Topics.POLICY_CHANGES,
                a.service() + "/" + ENV), list -> list.size() >= 2);
        assertThat(policyChanges.get(policyChanges.size() - 1).as(dev.rollwatch.events.PolicyChanged.class).data()
                .changedBy()).isEqualTo("operator-1");
    }

    @Test
    @Order(3)
    void aDeployerOfServiceASeesOnlyServiceA() {
        String deployerA = token("deployer");
        // Lists: only A's objects (policies of any service, `*`, apply to A too and are shown).
        List<String> policyServices = call("GET", "/api/v1/policies", null, deployerA).then().statusCode(200)
                .extract().jsonPath().getList("service", String.class);
        assertThat(policyServices).contains(a.service()).doesNotContain(b.service())
                .allMatch(s -> s.equals(a.service()) || s.equals("*"));
        var decisions = call("GET", "/api/v1/decisions?size=200", null, deployerA).then().statusCode(200)
                .extract().jsonPath();
        assertThat(decisions.getList("items.service", String.class)).isNotEmpty()
                .allMatch(s -> s.equals(a.service()));
        assertThat(decisions.getList("items.id", String.class)).contains(a.decision()).doesNotContain(b.decision());
        assertThat(decisions.getLong("total")).isEqualTo(decisions.getList("items").size());

        // B's objects, one by one.
        for (String path : List.of("/api/v1/policies/" + b.service() + "/" + ENV,
                "/api/v1/policies/" + b.service() + "/" + ENV + "/versions",
                "/api/v1/decisions/" + b.decision(), "/api/v1/decisions?deploymentId=" + b.active(),
                "/api/v1/decisions?service=" + b.service(), "/api/v1/deployments/" + b.active(),
                lastKnownGood(b.service()))) {
            call("GET", path, null, deployerA).then().statusCode(403).contentType(PROBLEM)
                    .body("type", endsWith("/forbidden-service"));
        }

        // A deployer without a services claim may act on no service: empty lists, 403 on objects.
        String nowhere = bearer("deployer-nowhere", "deployer", null);
        call("GET", "/api/v1/decisions", null, nowhere).then().statusCode(200).body("total", equalTo(0));
        assertThat(call("GET", "/api/v1/policies", null, nowhere).then().statusCode(200).extract().jsonPath()
                .getList("service", String.class)).allMatch("*"::equals);
        call("GET", "/api/v1/deployments/" + a.active(), null, nowhere).then().statusCode(403);
    }

    @Test
    @Order(4)
    void anOperatorOfServiceAChangesNothingOfServiceB() {
        String operatorA = bearer("operator-a", "operator", a.service());
        String otherB = activeDeployment(b.service());
        String before = state(otherB) + anyService();
        call("PUT", "/api/v1/policies/" + b.service() + "/" + ENV, "{\"rollbackHold\": true, \"reason\": \"x\"}", operatorA)
                .then().statusCode(403).contentType(PROBLEM).body("type", endsWith("/forbidden-service"));
        call("POST", "/api/v1/deployments/" + otherB + "/rollback", "{\"reason\": \"x\"}", operatorA)
                .then().statusCode(403).contentType(PROBLEM).body("type", endsWith("/forbidden-service"));
        // A policy of every service needs a token for every service.
        call("PUT", "/api/v1/policies/*/" + ENV, "{\"rollbackHold\": true, \"reason\": \"x\"}", operatorA)
                .then().statusCode(403).contentType(PROBLEM);
        // A deployment this service does not know: the same 403 as B's (nothing says whether it exists, nor B).
        String unknown = java.util.UUID.randomUUID().toString();
        Response ofB = call("POST", "/api/v1/deployments/" + otherB + "/rollback", "{\"reason\": \"x\"}", operatorA);
        Response ofNobody = call("POST", "/api/v1/deployments/" + unknown + "/rollback", "{\"reason\": \"x\"}",
                operatorA);
        ofNobody.then().statusCode(403).contentType(PROBLEM).body("type", endsWith("/forbidden-service"));
        assertThat(ofNobody.jsonPath().getString("detail").replace(unknown, "ID"))
                .isEqualTo(ofB.jsonPath().getString("detail").replace(otherB, "ID"));
        assertThat(ofB.asString()).doesNotContain(b.service());
        // Without a claim an operator rolls back nothing, an admin role beside it changes nothing.
        String operatorAdmin = remember(TestTokens.builder().subject("operator-admin").roles("operator", "admin")
                .bearer());
        call("POST", "/api/v1/deployments/" + otherB + "/rollback", "{\"reason\": \"x\"}", operatorAdmin)
                .then().statusCode(403).contentType(PROBLEM).body("type", endsWith("/forbidden-service"));
        assertThat(state(otherB) + anyService()).as("B and `*` after the refused changes").isEqualTo(before);
        // Its own service it may change.
        call("PUT", "/api/v1/policies/" + a.service() + "/" + ENV, "{\"repeatCount\": 4, \"reason\": \"mine\"}",
                operatorA).then().statusCode(200).body("createdBy", equalTo("operator-a"));
    }

    @Test
    @Order(5)
    void hostileRequestsAreOnlyProblemsAndChangeNothing() {
        // An operator of every service: what is refused here is the request, not the scope.
        String operator = token("operator *");
        String fresh = activeDeployment(a.service());
        String before = state(fresh);
        String policyA = "/api/v1/policies/" + a.service() + "/" + ENV;
        String rollback = "/api/v1/deployments/" + fresh + "/rollback";
        String sql = "x%27%3B%20DROP%20TABLE%20policy%3B%20--";
        String jndi = "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D";
        String script = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
        Map<String, String[]> cases = new LinkedHashMap<>();
        // name -> {method, path, body}
        cases.put("policy: number as text", new String[] {"PUT", policyA, "{\"repeatCount\": \"many\", \"reason\": \"x\"}"});
        cases.put("policy: boolean as text", new String[] {"PUT", policyA, "{\"rollbackHold\": \"yes\", \"reason\": \"x\"}"});
        cases.put("policy: actions a list", new String[] {"PUT", policyA, "{\"actions\": [\"ROLLBACK\"], \"reason\": \"x\"}"});
        cases.put("policy: a list instead of an object", new String[] {"PUT", policyA, "[{\"reason\": \"x\"}]"});
        cases.put("policy: not JSON", new String[] {"PUT", policyA, "freeze=true"});
        cases.put("policy: body over 1 MiB", new String[] {"PUT", policyA,
                "{\"rollbackHold\": true, \"reason\": \"" + "r".repeat(1_100_000) + "\"}"});
        cases.put("policy: unknown field changedBy", new String[] {"PUT", policyA,
                "{\"rollbackHold\": true, \"changedBy\": \"mallory\", \"reason\": \"x\"}"});
        cases.put("policy: unknown field version", new String[] {"PUT", policyA,
                "{\"version\": 99, \"id\": 1, \"reason\": \"x\"}"});
        cases.put("policy: injection strings in values", new String[] {"PUT", policyA,
                "{\"actions\": {\"P1\": \"${jndi:ldap://x}\", \"P2\": \"'; DROP TABLE policy; --\"}, "
                        + "\"repeatWindow\": \"<script>alert(1)</script>\", \"reason\": \"<script>alert(1)</script>\"}"});
        cases.put("policy: SQL in the service", new String[] {"PUT", "/api/v1/policies/" + sql + "/" + ENV,
                "{\"rollbackHold\": true, \"reason\": \"x\"}"});
        cases.put("policy: JNDI in the environment", new String[] {"PUT", "/api/v1/policies/" + a.service() + "/" + jndi,
                "{\"rollbackHold\": true, \"reason\": \"x\"}"});
        cases.put("rollback: reason a list", new String[] {"POST", rollback, "{\"reason\": [\"x\"]}"});
        cases.put("rollback: reason an object", new String[] {"POST", rollback, "{\"reason\": {\"$gt\": \"\"}}"});
        cases.put("rollback: no body", new String[] {"POST", rollback, ""});
        cases.put("rollback: body over 1 MiB", new String[] {"POST", rollback,
                "{\"reason\": \"" + "r".repeat(1_100_000) + "\"}"});
        cases.put("rollback: unknown field requestedBy", new String[] {"POST", rollback,
                "{\"reason\": \"x\", \"requestedBy\": \"mallory\"}"});
        cases.put("rollback: SQL in the deployment id", new String[] {"POST", "/api/v1/deployments/" + sql + "/rollback",
                "{\"reason\": \"x\"}"});
        cases.put("rollback: script in the deployment id", new String[] {"POST",
                "/api/v1/deployments/" + script + "/rollback", "{\"reason\": \"x\"}"});
        cases.put("decisions: SQL in the action filter", new String[] {"GET", "/api/v1/decisions?action=" + sql, null});
        cases.put("decisions: JNDI as the id", new String[] {"GET", "/api/v1/decisions/" + jndi, null});
        cases.put("decisions: negative size", new String[] {"GET", "/api/v1/decisions?size=-1", null});
        cases.put("deployment: SQL as the id", new String[] {"GET", "/api/v1/deployments/" + sql, null});
        cases.put("last known good: script as the service", new String[] {"GET",
                "/api/v1/services/" + script + "/environments/" + ENV + "/last-known-good", null});
        cases.put("versions: JNDI as the service", new String[] {"GET", "/api/v1/policies/" + jndi + "/" + ENV
                + "/versions", null});

        List<String> mismatches = new ArrayList<>();
        cases.forEach((name, c) -> {
            Response response;
            try {
                response = call(c[0], c[1], c[2], operator);
            } catch (RuntimeException e) {
                mismatches.add(name + ": no answer (" + e + ")");
                return;
            }
            int status = response.statusCode();
            if (status < 400 || status >= 500) {
                mismatches.add(name + ": expected a 4xx, got " + status + " " + response.asString());
            } else if (!String.valueOf(response.contentType()).startsWith(PROBLEM)) {
                mismatches.add(name + ": " + status + " is not problem+json but " + response.contentType());
            }
            if (name.contains("1 MiB") && status != 413) {
                mismatches.add(name + ": expected 413, got " + status);
            }
            if (name.contains("unknown field") && status != 400) {
                mismatches.add(name + ": expected 400, got " + status);
            }
        });
        assertThat(mismatches).as("hostile requests not answered with a 4xx problem").isEmpty();
        assertThat(state(fresh)).as("policies, deployments and decisions after the hostile requests")
                .isEqualTo(before);
        // The service is still whole and answers a proper request.
        call("POST", rollback, "{\"reason\": \"'; DROP TABLE decision; -- is just text\"}", operator).then()
                .statusCode(202).body("reason", org.hamcrest.Matchers.containsString("DROP TABLE decision"));
    }

    @Test
    @Order(99)
    void noTokenReachesTheLog() {
        List<String> forbidden = new ArrayList<>();
        for (String token : TOKENS_USED) {
            String jwt = token.startsWith("Bearer ") ? token.substring(7) : token;
            forbidden.add(jwt);
            // The signature alone is a secret-looking string no log line has any business containing.
            forbidden.add(jwt.substring(jwt.lastIndexOf('.') + 1));
        }
        log.assertNoneContains(forbidden);
    }
}
