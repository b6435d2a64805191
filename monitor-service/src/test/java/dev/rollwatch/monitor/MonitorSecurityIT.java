package dev.rollwatch.monitor;

import dev.rollwatch.events.Severity;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.SecurityMatrix;
import dev.rollwatch.testsupport.SecurityMatrix.Caller;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static dev.rollwatch.testsupport.SecurityMatrix.get;
import static dev.rollwatch.testsupport.SecurityMatrix.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity and access of the monitor's API (docs/security.md, "Endpoints × roles"): every endpoint × every kind of
 * caller ({@link SecurityMatrix}), the service scope of deployers and agents, hostile bodies, and that no token reaches
 * the log.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorSecurityIT {

    private static final String PROBLEM = SecurityMatrix.PROBLEM_JSON;
    /** Every token this class sends; none may show up in a log record. */
    private static final Set<String> TOKENS_USED = ConcurrentHashMap.newKeySet();
    private static LogCapture log;

    private static String serviceA;
    private static String serviceB;
    private static String watchA;
    private static String watchB;
    private static SecurityMatrix matrix;

    @BeforeEach
    void setUp() {
        if (watchA != null) {
            return;
        }
        log = LogCapture.start();
        serviceA = Deployments.service("sec-a");
        serviceB = Deployments.service("sec-b");
        watchA = Deployments.newId();
        watchB = Deployments.newId();
        try (KafkaTestClient kafka = KafkaTestClient.forTestBroker()) {
            // The allowed path: a watch starts from DeploymentStarted. Push checks only, so nothing is polled and
            // a watch's state changes only by what this test pushes.
            Deployments.startWatch(kafka, watchA, serviceA, List.of(Deployments.errorRate(3, Severity.P1)));
            Deployments.startWatch(kafka, watchB, serviceB, List.of(Deployments.errorRate(3, Severity.P1)));
        }
        matrix = matrix();
        matrix.tokens().forEach(t -> TOKENS_USED.add("Bearer " + t));
    }

    @AfterAll
    static void tearDown() {
        log.stop();
    }

    private static String token(String caller) {
        return matrix.caller(caller).authorization();
    }

    private static String bearer(String subject, String role, String service) {
        return bearerOf(subject, service, role);
    }

    private static String bearerOf(String subject, String service, String... roles) {
        TestTokens.Builder b = TestTokens.builder().subject(subject).roles(roles);
        if (service != null) {
            b.services(service);
        }
        String token = b.bearer();
        TOKENS_USED.add(token);
        return token;
    }

    private static String passingSample(String deploymentId) {
        return Deployments.samples(deploymentId, Deployments.sample("error_rate", 0.001));
    }

    /**
     * Every endpoint × {the six bad tokens, deployer of service A, operator, auditor, admin, agent}. Objects of
     * service A exist; the rows on B show a deployer's scope inside the matrix. The operator, auditor, admin and agent
     * tokens carry no {@code services} claim, so they act on no service (the scope fails closed, issue 17): the
     * operator reads no analysis, the agent pushes for no deployment, known or not. Tokens with a claim are in the
     * tests below. A refused push or validation changes neither watch.
     */
    private static SecurityMatrix matrix() {
        List<Caller> callers = new ArrayList<>(Caller.badTokens());
        callers.add(Caller.of("deployer", "deployer-a", "deployer").services(serviceA));
        callers.add(Caller.of("operator", "operator-1", "operator"));
        callers.add(Caller.of("auditor", "auditor-1", "auditor"));
        callers.add(Caller.of("admin", "admin-1", "admin"));
        callers.add(Caller.of("agent", "agent-1", "agent"));
        return SecurityMatrix.of(callers).endpoints(List.of(
                        post("/api/v1/samples", (Supplier<String>) () -> passingSample(watchA))
                                .label("POST /api/v1/samples of A").roles("agent").scope(serviceA).ok(202),
                        post("/api/v1/samples", (Supplier<String>) () -> passingSample(watchB))
                                .label("POST /api/v1/samples of B").roles("agent").scope(serviceB).ok(202),
                        post("/api/v1/samples", (Supplier<String>) () -> passingSample(Deployments.newId()))
                                .label("POST /api/v1/samples of an unknown deployment").roles("agent")
                                .scope(SecurityMatrix.UNKNOWN_SERVICE).ok(404),
                        get("/api/v1/deployments/" + watchA + "/analysis").roles("deployer", "operator")
                                .scope(serviceA),
                        get("/api/v1/deployments/" + watchB + "/analysis").roles("deployer", "operator")
                                .scope(serviceB),
                        get("/api/v1/deployments/" + watchA + "/series").roles("deployer", "operator")
                                .scope(serviceA),
                        get("/api/v1/deployments/" + watchB + "/series").roles("deployer", "operator")
                                .scope(serviceB),
                        get("/api/v1/checks/defaults").roles("deployer", "operator"),
                        post("/api/v1/checks/validate", "{\"checks\": []}").roles("deployer", "operator")))
                .unchangedWhenRefused(() -> state(watchA) + state(watchB));
    }

    private static Response call(String method, String path, String body, String authorization) {
        return SecurityMatrix.send(authorization, method, path, body);
    }

    /** The whole analysis view of a watch, read with the all-roles token: what a refused request must not change. */
    private static String state(String deploymentId) {
        return given().when().get("/api/v1/deployments/" + deploymentId + "/analysis").then().statusCode(200)
                .extract().asString();
    }

    @Test
    @Order(1)
    void everyEndpointTimesEveryCaller() {
        assertThat(matrix.check()).isEqualTo(9 * 11);
    }

    @Test
    @Order(2)
    void aDeployerOfServiceASeesOnlyServiceA() {
        String deployerA = token("deployer");
        call("GET", "/api/v1/deployments/" + watchA + "/analysis", null, deployerA).then().statusCode(200);
        call("GET", "/api/v1/deployments/" + watchB + "/analysis", null, deployerA).then().statusCode(403)
                .contentType(PROBLEM).body("type", org.hamcrest.Matchers.endsWith("/forbidden-service"));
        // A deployer without any service claim may act on no service at all.
        String unscoped = bearer("deployer-nowhere", "deployer", null);
        call("GET", "/api/v1/deployments/" + watchA + "/analysis", null, unscoped).then().statusCode(403)
                .contentType(PROBLEM);
        // Services as a comma-separated claim count as well; an operator limited to B may not read A.
        String operatorB = bearer("operator-b", "operator", serviceB);
        call("GET", "/api/v1/deployments/" + watchA + "/analysis", null, operatorB).then().statusCode(403);
        call("GET", "/api/v1/deployments/" + watchB + "/analysis", null, operatorB).then().statusCode(200);
        // An unknown deployment is 404 to anyone who may read analyses.
        call("GET", "/api/v1/deployments/" + Deployments.newId() + "/analysis", null, deployerA).then()
                .statusCode(404).contentType(PROBLEM);
        // Without a claim, an operator reads nothing (the scope fails closed), nor does one that is also admin;
        // with '*' it reads every service.
        call("GET", "/api/v1/deployments/" + watchB + "/analysis", null, token("operator")).then()
                .statusCode(403).contentType(PROBLEM).body("type", org.hamcrest.Matchers.endsWith("/forbidden-service"));
        String operatorAdmin = bearerOf("operator-admin", null, "operator", "admin");
        call("GET", "/api/v1/deployments/" + watchB + "/analysis", null, operatorAdmin).then().statusCode(403);
        String operatorAll = bearer("operator-all", "operator", "*");
        call("GET", "/api/v1/deployments/" + watchA + "/analysis", null, operatorAll).then().statusCode(200);
        call("GET", "/api/v1/deployments/" + watchB + "/series", null, operatorAll).then().statusCode(200);
    }

    @Test
    @Order(3)
    void anAgentScopedToServiceACannotPushForServiceB() {
        String agentA = bearer("agent-a", "agent", serviceA);
        String beforeB = state(watchB);
        call("POST", "/api/v1/samples", Deployments.samples(watchB, Deployments.sample("error_rate", 0.5)), agentA)
                .then().statusCode(403).contentType(PROBLEM)
                .body("type", org.hamcrest.Matchers.endsWith("/forbidden-service"));
        assertThat(state(watchB)).as("B after a refused push").isEqualTo(beforeB);
        call("POST", "/api/v1/samples", passingSample(watchA), agentA).then().statusCode(202);
    }

    @Test
    @Order(3)
    void aPushForADeploymentTheMonitorDoesNotKnowIsDeniedWithoutSayingWhetherItExists() {
        String agentA = bearer("agent-a", "agent", serviceA);
        String unknown = Deployments.newId();
        Response ofB = call("POST", "/api/v1/samples", passingSample(watchB), agentA);
        Response ofNobody = call("POST", "/api/v1/samples", passingSample(unknown), agentA);
        ofNobody.then().statusCode(403).contentType(PROBLEM)
                .body("type", org.hamcrest.Matchers.endsWith("/forbidden-service"));
        // The same answer as for B's deployment, but for the id: neither its existence nor B's name shows.
        assertThat(ofNobody.jsonPath().getString("detail").replace(unknown, "ID"))
                .isEqualTo(ofB.jsonPath().getString("detail").replace(watchB, "ID"));
        assertThat(ofB.asString()).doesNotContain(serviceB);
        // No claim: no deployment, known or not. An admin role beside agent changes nothing.
        call("POST", "/api/v1/samples", passingSample(watchA), token("agent")).then().statusCode(403);
        call("POST", "/api/v1/samples", passingSample(watchA), bearerOf("agent-admin", null, "agent", "admin"))
                .then().statusCode(403);
        // An agent of every service: the unknown deployment is its 404, a known one of any service is judged.
        String agentAll = bearer("agent-all", "agent", "*");
        call("POST", "/api/v1/samples", passingSample(unknown), agentAll).then().statusCode(404)
                .contentType(PROBLEM).body("type", org.hamcrest.Matchers.endsWith("/watch-not-found"));
        call("POST", "/api/v1/samples", passingSample(watchB), agentAll).then().statusCode(202);
    }

    @Test
    @Order(4)
    void hostileBodiesAreOnlyProblemsAndChangeNothing() {
        // Tokens that may act on every service: what is refused here is the body, not the scope.
        String agent = bearer("agent-hostile", "agent", "*");
        String operator = bearer("operator-hostile", "operator", "*");
        String before = state(watchA) + state(watchB);
        String huge = "{\"deploymentId\": \"" + watchA + "\", \"samples\": [{\"metric\": \"error_rate\", "
                + "\"value\": 0.5, \"version\": \"" + "x".repeat(1_100_000) + "\"}]}";
        Map<String, String[]> cases = new LinkedHashMap<>();
        // name -> {method, path, body, authorization}
        cases.put("value of the wrong type", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": \"" + watchA + "\", \"samples\": [{\"metric\": \"error_rate\", \"value\": \"high\"}]}", agent});
        cases.put("samples not a list", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": \"" + watchA + "\", \"samples\": \"0.5\"}", agent});
        cases.put("deploymentId an object", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": {\"$ne\": null}, \"samples\": [{\"metric\": \"error_rate\", \"value\": 0.5}]}", agent});
        cases.put("a list instead of an object", new String[] {"POST", "/api/v1/samples", "[1, 2, 3]", agent});
        cases.put("not JSON", new String[] {"POST", "/api/v1/samples", "error_rate=0.5", agent});
        cases.put("body over 1 MiB", new String[] {"POST", "/api/v1/samples", huge, agent});
        cases.put("unknown top-level field", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": \"" + watchA + "\", \"samples\": [{\"metric\": \"error_rate\", \"value\": 0.5}], "
                        + "\"requestedBy\": \"mallory\"}", agent});
        cases.put("unknown sample field", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": \"" + watchA + "\", \"samples\": [{\"metric\": \"error_rate\", \"value\": 0.5, "
                        + "\"service\": \"" + serviceB + "\"}]}", agent});
        cases.put("SQL in the deployment id", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": \"x'; DROP TABLE watch; --\", \"samples\": [{\"metric\": \"error_rate\", \"value\": 0.5}]}", agent});
        cases.put("JNDI lookup in the deployment id", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": \"${jndi:ldap://x}\", \"samples\": [{\"metric\": \"${jndi:ldap://x}\", \"value\": 0.5}]}", agent});
        cases.put("script in the metric of an unknown deployment", new String[] {"POST", "/api/v1/samples",
                "{\"deploymentId\": \"<script>alert(1)</script>\", \"samples\": [{\"metric\": \"<script>alert(1)</script>\", \"value\": 0.5}]}", agent});
        cases.put("SQL in the analysis path", new String[] {"GET",
                "/api/v1/deployments/x%27%3B%20DROP%20TABLE%20watch%3B%20--/analysis", null, operator});
        cases.put("JNDI lookup in the analysis path", new String[] {"GET",
                "/api/v1/deployments/%24%7Bjndi%3Aldap%3A%2F%2Fx%7D/analysis", null, operator});
        cases.put("validate: wrong types", new String[] {"POST", "/api/v1/checks/validate",
                "{\"checks\": [{\"name\": 7, \"max\": \"lots\"}]}", operator});
        cases.put("validate: unknown field", new String[] {"POST", "/api/v1/checks/validate",
                "{\"checks\": [], \"admin\": true}", operator});
        cases.put("validate: injection strings", new String[] {"POST", "/api/v1/checks/validate",
                "{\"checks\": [{\"name\": \"<script>alert(1)</script>\", \"provider\": \"${jndi:ldap://x}\", "
                        + "\"metric\": \"x'; DROP TABLE watch; --\", \"max\": 1}]}", operator});
        cases.put("validate: over 1 MiB", new String[] {"POST", "/api/v1/checks/validate",
                "{\"checks\": [{\"name\": \"" + "y".repeat(1_100_000) + "\", \"metric\": \"m\", \"max\": 1}]}", operator});

        List<String> mismatches = new ArrayList<>();
        cases.forEach((name, c) -> {
            Response response;
            try {
                response = call(c[0], c[1], c[2], c[3]);
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
            if (name.contains("unknown") && name.contains("field") && status != 400) {
                mismatches.add(name + ": expected 400, got " + status);
            }
        });
        assertThat(mismatches).as("hostile requests not answered with a 4xx problem").isEmpty();
        assertThat(state(watchA) + state(watchB)).as("the watches after the hostile requests").isEqualTo(before);
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
