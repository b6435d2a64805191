package dev.rollwatch.deploy;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Registered targets (issue 17, 1) with registration required, as in production: an admin registers where a
 * service's deployments go; a deployment names the service and environment and goes there, signed with the target's
 * own secret; an unregistered service and environment, a URL other than the registered ones and a smoke check off
 * the target's origin and registered smoke hosts are refused with problem+json, and nothing is stored or published.
 */
@QuarkusTest
@TestProfile(RegisteredTargetsIT.RegistrationRequired.class)
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RegisteredTargetsIT {

    /** The production default for registration; the requester may approve (to test that switch in the same boot). */
    public static class RegistrationRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // %test sets it false for the other tests: the profile-qualified key wins over a plain one.
            return Map.of("%test.rollwatch.deploy.targets.require-registration", "true",
                    "rollwatch.deploy.targets.require-registration", "true",
                    "%test.rollwatch.deploy.approvals.allow-self-approval", "true",
                    "rollwatch.deploy.approvals.allow-self-approval", "true");
        }
    }

    private static final String PROBLEMS = "https://rollwatch.dev/problems/";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    /** The registered target's own signing secret: the stub refuses (401) any call not signed with it. */
    private static final String OWN_SECRET = StandardWebhooks.newSecret();
    private static final String ADMIN = TestTokens.builder().subject("ada").roles("admin").bearer();
    private static TargetStub own;
    private static KafkaTestClient kafka;
    private final TargetStub other = TargetStub.shared(); // another host:port, signed with the global secret

    @BeforeAll
    static void start() {
        own = new TargetStub(OWN_SECRET);
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void stop() {
        own.close();
        kafka.close();
    }

    private static String path(String service, String environment) {
        return "/api/v1/services/" + service + "/environments/" + environment;
    }

    private static ValidatableResponse put(String token, String service, String environment, Map<String, ?> body) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(body)
                .when().put(path(service, environment)).then();
    }

    private static Map<String, Object> registration(String targetUrl, String secret, String... smokeHosts) {
        Map<String, Object> body = new HashMap<>();
        body.put("targetUrl", targetUrl);
        body.put("smokeHosts", List.of(smokeHosts));
        if (secret != null) {
            body.put("signingSecret", secret);
        }
        return body;
    }

    private static String create(String service, String targetJson, String steps) {
        return """
                {"service": "%s", "environment": "production", "version": "2.4.0", "previousVersion": "2.3.0",
                 %s "strategy": {"steps": %s}}""".formatted(service, targetJson == null ? ""
                : "\"target\": " + targetJson + ",", steps);
    }

    private static ValidatableResponse post(String body) {
        return given().header("Authorization", Rollouts.as("alice")).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/deployments").then();
    }

    private static String hostPort(String url) {
        URI u = URI.create(url);
        return u.getHost() + ":" + u.getPort();
    }

    @Test
    void anAdminRegistersTargetsDeployersReadTheirOwnAndTheSecretIsWriteOnly() {
        String service = uniqueService("registry");
        String other = service + "-other";
        String deployer = TestTokens.builder().subject("dee").roles("deployer").services(service).bearer();
        String operator = TestTokens.builder().subject("otto").roles("operator").services("*").bearer();

        // Only an admin writes.
        for (String token : List.of(deployer, operator)) {
            put(token, service, "production", registration(own.url(), OWN_SECRET)).statusCode(403)
                    .contentType("application/problem+json");
        }
        given().header("Authorization", deployer).when().get(path(service, "production")).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "not-found"));
        String created = put(ADMIN, service, "production", registration(own.url() + "/", OWN_SECRET,
                "Smoke.Example.com", "10.0.0.1:8443")).statusCode(201)
                .body("targetUrl", equalTo(own.url()))
                .body("metricsUrl", equalTo(own.url() + "/metrics"))
                .body("smokeHosts", org.hamcrest.Matchers.contains("smoke.example.com", "10.0.0.1:8443"))
                .body("signingSecretSet", equalTo(true)).body("updatedBy", equalTo("ada"))
                .extract().asString();
        assertThat(created).doesNotContain(OWN_SECRET).doesNotContain(OWN_SECRET.substring(6));
        put(ADMIN, other, "production", registration(own.url(), null)).statusCode(201)
                .body("signingSecretSet", equalTo(false));

        // Deployers read their own services' entries, operators any; nobody reads the secret.
        for (String token : List.of(deployer, operator, ADMIN)) {
            String got = given().header("Authorization", token).when().get(path(service, "production")).then()
                    .statusCode(200).body("signingSecretSet", equalTo(true)).extract().asString();
            assertThat(got).doesNotContain(OWN_SECRET.substring(6));
            given().header("Authorization", token).when().get("/api/v1/services/" + service + "/environments")
                    .then().statusCode(200).body("environment", org.hamcrest.Matchers.contains("production"));
        }
        given().header("Authorization", deployer).when().get(path(other, "production")).then().statusCode(403)
                .body("type", equalTo(PROBLEMS + "forbidden-service"));

        // Changing the URL while a secret is set needs the secret again: else 400 and nothing changes.
        put(ADMIN, service, "production", registration(other().url(), null)).statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "signing-secret-required"));
        given().when().get(path(service, "production")).then().body("targetUrl", equalTo(own.url()))
                .body("smokeHosts.size()", equalTo(2)).body("signingSecretSet", equalTo(true));
        // The same URL without the secret keeps it; "" removes it.
        put(ADMIN, service, "production", registration(own.url(), null)).statusCode(200)
                .body("signingSecretSet", equalTo(true)).body("smokeHosts.size()", equalTo(0));
        put(ADMIN, service, "production", registration(own.url(), "")).statusCode(200)
                .body("signingSecretSet", equalTo(false));

        // Bad registrations: 400 problems, nothing changes.
        put(ADMIN, service, "production", registration(own.url() + "/base?x=", null)).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-target"));
        put(ADMIN, service, "production", registration(own.url() + "#frag", null)).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-target"));
        put(ADMIN, service, "production", registration("http://user:pw@" + hostPort(own.url()), null))
                .statusCode(400).body("type", equalTo(PROBLEMS + "invalid-target"))
                .body("detail", not(containsString("pw")));
        put(ADMIN, service, "production", registration("http://169.254.169.254/latest", null)).statusCode(400)
                .body("type", equalTo(PROBLEMS + "destination-refused"));
        put(ADMIN, service, "production", registration(own.url(), "not-a-secret")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-signing-secret")).body(not(containsString("not-a-secret")));
        put(ADMIN, service, "production", registration(own.url(), null, "http://x/y")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-target"));
        given().when().get(path(service, "production")).then().body("targetUrl", equalTo(own.url()))
                .body("signingSecretSet", equalTo(false));

        // Delete: admin only; then it is gone.
        given().header("Authorization", operator).when().delete(path(other, "production")).then().statusCode(403);
        given().header("Authorization", ADMIN).when().delete(path(other, "production")).then().statusCode(204);
        given().when().get(path(other, "production")).then().statusCode(404);
        given().header("Authorization", ADMIN).when().delete(path(other, "production")).then().statusCode(404);
    }

    private TargetStub other() {
        return other;
    }

    @Test
    void onlyTheRegisteredTargetCanBeDeployedAndEveryRefusalStoresNothing() {
        String service = uniqueService("bound");
        String gate = "[{\"setWeight\": 5}, {\"pause\": {}}]";
        // Not registered: refused, whatever the request names.
        post(create(service, null, gate)).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "target-not-registered"));
        post(create(service, "{\"url\": \"" + own.url() + "\"}", gate)).statusCode(400)
                .body("type", equalTo(PROBLEMS + "target-not-registered"));

        put(ADMIN, service, "production", registration(own.url(), OWN_SECRET, hostPort(other.url())))
                .statusCode(201);
        // Another target URL, another metrics URL, a smoke check off the origin and the smoke hosts.
        post(create(service, "{\"url\": \"" + other.url() + "\"}", gate)).statusCode(400)
                .body("type", equalTo(PROBLEMS + "unregistered-url")).body("field", equalTo("target.url"));
        post(create(service, "{\"url\": \"" + own.url() + "\", \"metricsUrl\": \"" + other.url() + "/metrics\"}",
                gate)).statusCode(400).body("type", equalTo(PROBLEMS + "unregistered-url"))
                .body("field", equalTo("target.metricsUrl"));
        post(create(service, null, "[{\"smoke\": {\"checks\": [{\"url\": \"http://localhost:"
                + URI.create(own.url()).getPort() + "/smoke/ok\"}]}}]")).statusCode(400)
                .body("type", equalTo(PROBLEMS + "unregistered-url"))
                .body("field", equalTo("strategy.steps[0].smoke.checks[0].url"));
        post(create(service, null, "[{\"smoke\": {\"checks\": [{\"url\": \"http://127.0.0.1:1/x\"}]}}]"))
                .statusCode(400).body("type", equalTo(PROBLEMS + "unregistered-url"));

        // Nothing was stored, published or called.
        // (The DeploymentStarted is written in the transaction of the row, so no row means no event.)
        given().queryParam("service", service).when().get("/api/v1/deployments").then().body("total", equalTo(0));
        assertThat(own.calls()).noneMatch(c -> service.equals(c.field("service")));
        assertThat(other.calls()).noneMatch(c -> service.equals(c.field("service")));
    }

    @Test
    void aRegisteredDeploymentNamingNoUrlReachesItsTargetSignedWithTheTargetsOwnSecret() throws Exception {
        String service = uniqueService("registered");
        put(ADMIN, service, "production", registration(own.url(), OWN_SECRET, hostPort(other.url())))
                .statusCode(201);

        // No target in the request; smoke checks on the target's origin and on a registered smoke host.
        String id = post(create(service, null, """
                [{"setWeight": 5}, {"smoke": {"checks": [{"url": "%s/smoke/ok"}, {"url": "%s/smoke/ok"}]}},
                 {"setWeight": 100}]""".formatted(own.url(), other.url()))).statusCode(202)
                .body("target.url", equalTo(own.url())).body("target.metricsUrl", equalTo(own.url() + "/metrics"))
                .extract().path("id");
        awaitStatus(id, "SUCCEEDED");

        // The target verified every call against its own secret (a call signed otherwise is a 401, which fails
        // the step): 5, 100 and the finalize were applied.
        assertThat(own.appliedWeights(id)).containsExactly(5, 100);
        assertThat(own.callsFor(id)).isNotEmpty().allMatch(c -> c.answeredStatus() == 200);
        assertThat(own.callsFor(id, "finalize")).hasSize(1);
        // Checked again here: each signature is the target's own secret's, not the global secret's.
        for (TargetStub.Call c : own.callsFor(id)) {
            byte[] body = JSON.writeValueAsBytes(c.body()); // the driver's bytes: same mapper defaults, same order
            long at = Long.parseLong(c.timestamp());
            assertThat(new SpecWebhookVerifier(OWN_SECRET, 300).refusal(c.webhookId(), c.timestamp(), c.signature(),
                    body, at)).as("own secret, %s", c.kind()).isNull();
            assertThat(new SpecWebhookVerifier(TargetStub.TEST_SECRET, 300).refusal(c.webhookId(), c.timestamp(),
                    c.signature(), body, at)).as("global secret, %s", c.kind()).isNotNull();
        }
        // The event carries the resolved URLs, so the monitor needs nothing else.
        Envelope<EventData> started = kafka.eventsAbout(Topics.DEPLOYMENT_STARTED, id).get(0);
        DeploymentStarted data = (DeploymentStarted) started.data();
        assertThat(data.target().url()).isEqualTo(own.url());
        assertThat(data.target().metricsUrl()).isEqualTo(own.url() + "/metrics");
    }

    @Test
    void whenSelfApprovalIsAllowedTheRequesterMayPassTheGate() {
        String service = uniqueService("self");
        put(ADMIN, service, "production", registration(own.url(), OWN_SECRET)).statusCode(201);
        String id = post(create(service, null, "[{\"setWeight\": 5}, {\"pause\": {}}]")).statusCode(202)
                .extract().path("id");
        awaitStatus(id, "AWAITING_APPROVAL");
        given().header("Authorization", Rollouts.as("alice")).contentType(ContentType.JSON)
                .body(Rollouts.decision("allowed here")).when().post("/api/v1/deployments/" + id + "/approve")
                .then().statusCode(200).body("history[1].approvedBy", equalTo("alice"));
        awaitStatus(id, "SUCCEEDED");
    }
}
