package dev.rollwatch.rollback;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class PolicyIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** Changes a policy as operator {@code by}: the author recorded is the token's subject. */
    static ValidatableResponse put(String service, String environment, String by, String body) {
        return given().header("Authorization", TestTokens.builder().subject(by).roles("operator").bearer())
                .contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/policies/" + service + "/" + environment).then();
    }

    @Test
    void withAutoRollbackOffAP1BreachAsksForApprovalInsteadOfRollingBack() {
        String service = unique("checkout");
        int policyId = put(service, "production", "carol", """
                {"autoRollback": false, "reason": "launch day: people decide"}""")
                .statusCode(200).body("version", equalTo(1)).body("autoRollback", equalTo(false))
                .body("actions.P2", equalTo("CONDITIONAL")).body("repeatWindow", equalTo("5m"))
                .extract().path("id");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.9.0");

        kafka.send(breach(id, service, "2.0.0", Severity.P1, "error-rate", Instant.now()));

        Map<String, Object> decision = awaitDecisions(id, 1).get(0);
        assertThat(decision).containsEntry("action", "ALERT").containsEntry("rule", "auto-rollback-off")
                .containsEntry("policyId", policyId).containsEntry("policyVersion", 1);
        assertThat(decision.get("reason").toString()).contains("approval needed");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void aServiceWideFreezeHoldsRollbacksInEveryEnvironmentAndPages() {
        String service = unique("ledger");
        put(service, "*", "dba", """
                {"freeze": true, "reason": "database migration running"}""").statusCode(200);
        given().get("/api/v1/policies/" + service + "/production").then().statusCode(200)
                .body("service", equalTo(service)).body("environment", equalTo("*")).body("freeze", equalTo(true));
        String id = Fixtures.start(kafka, service, "8.0.0", "7.9.0");

        kafka.send(breach(id, service, "8.0.0", Severity.P1, "error-rate", Instant.now()));

        assertThat(awaitDecisions(id, 1)).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("action", "ALERT").containsEntry("rule", "freeze");
            assertThat(d.get("reason").toString()).contains("hold, page instead");
        });
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void everyChangeIsANewVersionAndDecisionsCiteTheVersionInForce() {
        String service = unique("inventory");
        put(service, "production", "carol", """
                {"repeatCount": 5, "reason": "noisy latency"}""").statusCode(200)
                .body("version", equalTo(1));
        put(service, "production", "dave", """
                {"repeatCount": 2, "repeatWindow": "10m", "reason": "too slow to react"}""")
                .statusCode(200).body("version", equalTo(2)).body("repeatCount", equalTo(2))
                .body("repeatWindow", equalTo("10m"));

        given().get("/api/v1/policies/" + service + "/production/versions").then().statusCode(200)
                .body("version", equalTo(List.of(2, 1)))
                .body("createdBy", equalTo(List.of("dave", "carol")))
                .body("reason", hasItems("noisy latency", "too slow to react"));
        given().get("/api/v1/policies").then().statusCode(200)
                .body("findAll { it.service == '" + service + "' }.version", equalTo(List.of(2)))
                .body("findAll { it.service == '*' }.version", hasItem(1));

        String id = Fixtures.start(kafka, service, "3.3.0", "3.2.0");
        kafka.send(breach(id, service, "3.3.0", Severity.P2, "latency", Instant.now().minusSeconds(400)));
        kafka.send(breach(id, service, "3.3.0", Severity.P2, "latency", Instant.now()));
        Envelope<RollbackRequested> rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id,
                RollbackRequested.class, WAIT);
        assertThat(rollback.data().policyVersion()).isEqualTo(2);
        assertThat(rollback.data().policyRule()).isEqualTo("p2-repeated");
        assertThat(rollback.data().breachEventIds()).hasSize(2);
    }

    @Test
    void invalidPoliciesAreRefusedWithProblemDetailsAndNothingIsStored() {
        String service = unique("refused");
        put(service, "production", "eve", """
                {"actions": {"P4": "ROLLBACK"}, "reason": "x"}""")
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-policy"))
                .body("errors.field", hasItem("actions.P4"));
        put(service, "production", "eve", """
                {"repeatWindow": "-5m", "rollbackDeadline": "soon", "reason": "x"}""")
                .statusCode(400).body("errors.field", hasItems("repeatWindow", "rollbackDeadline"));
        put(service, "production", "eve", """
                {"actions": {"P1": "NOTIFY", "P3": "ROLLBACK"}, "reason": "x"}""")
                .statusCode(400).body("errors.field", hasItems("actions.P2", "actions.P3"))
                .body("detail", containsString("more aggressive"));
        put(service, "production", "eve", """
                {"freeze": true}""").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/validation"))
                .body("errors.field", hasItems("reason"));
        // Who changes a policy is the token's subject: a body naming someone is refused, not believed.
        put(service, "production", "eve", """
                {"freeze": true, "changedBy": "carol", "reason": "x"}""").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/malformed-body"))
                .body("detail", containsString("changedBy"));
        put("Not A Service", "production", "eve", """
                {"freeze": true, "reason": "x"}""").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-scope"));

        given().get("/api/v1/policies/" + service + "/production/versions").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/no-policy"));
        given().get("/api/v1/policies/" + service + "/production").then().statusCode(200)
                .body("service", equalTo("*")).body("environment", equalTo("*"));
    }
}
