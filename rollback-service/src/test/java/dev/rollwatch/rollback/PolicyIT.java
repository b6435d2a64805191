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
        return given().header("Authorization", TestTokens.builder().subject(by).roles("operator").services("*").bearer())
                .contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/policies/" + service + "/" + environment).then();
    }

    @Test
    void withAutoRollbackOffAP0BreachAsksForApprovalInsteadOfRollingBack() {
        String service = unique("checkout");
        int policyId = put(service, "production", "carol", """
                {"autoRollback": false, "reason": "launch day: people decide"}""")
                .statusCode(200).body("version", equalTo(1)).body("autoRollback", equalTo(false))
                .body("actions.P2", equalTo("MONITOR")).body("repeatWindow", equalTo("5m"))
                .extract().path("id");
        String id = Fixtures.start(kafka, service, "2.0.0", "1.9.0");

        kafka.send(breach(id, service, "2.0.0", Severity.P0, "error-rate", Instant.now()));

        Map<String, Object> decision = awaitDecisions(id, 1).get(0);
        assertThat(decision).containsEntry("action", "ALERT").containsEntry("rule", "auto-rollback-off")
                .containsEntry("policyId", policyId).containsEntry("policyVersion", 1);
        assertThat(decision.get("reason").toString()).contains("approval needed");
        assertThat(kafka.eventsAbout(Topics.ROLLBACK_REQUESTED, id)).isEmpty();
    }

    @Test
    void aServiceWideRollbackHoldHoldsRollbacksInEveryEnvironmentAndPages() {
        String service = unique("ledger");
        put(service, "*", "dba", """
                {"rollbackHold": true, "reason": "database migration running"}""").statusCode(200);
        given().get("/api/v1/policies/" + service + "/production").then().statusCode(200)
                .body("service", equalTo(service)).body("environment", equalTo("*"))
                .body("rollbackHold", equalTo(true));
        String id = Fixtures.start(kafka, service, "8.0.0", "7.9.0");

        kafka.send(breach(id, service, "8.0.0", Severity.P0, "error-rate", Instant.now()));

        assertThat(awaitDecisions(id, 1)).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("action", "ALERT").containsEntry("rule", "rollback-hold");
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
                // the global default's version 2 is the migration to the runbook matrix (issue 15)
                .body("findAll { it.service == '*' }.version", hasItem(2));

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
    void theGlobalDefaultIsTheRunbookMatrixWithThePackInForce() {
        given().get("/api/v1/policies/*/*").then().statusCode(200)
                .body("actions.P0", equalTo("ROLLBACK")).body("actions.P1", equalTo("CONDITIONAL"))
                .body("actions.P2", equalTo("MONITOR")).body("actions.P3", equalTo("NOTIFY"))
                .body("pack", equalTo("runbook@1")).body("conditionalDefault", equalTo("ROLLBACK"))
                .body("deciders", equalTo("operator")).body("rollbackHold", equalTo(false));
    }

    @Test
    void aPolicyShortensPackRulesByIdAndChoosesTheConditionalDefaultAndDeciders() {
        String service = unique("short-windows");
        put(service, "production", "carol", """
                {"overrides": {"error-rate-sustained": {"sustainedFor": "10s"},
                               "p1-conditional": {"decideWithin": "20s"}, "outage": {"sustainedFor": "15s"}},
                 "conditionalDefault": "hold", "deciders": "sre", "reason": "demo"}""")
                .statusCode(200).body("overrides.error-rate-sustained.sustainedFor", equalTo("10s"))
                .body("overrides.p1-conditional.decideWithin", equalTo("20s"))
                .body("overrides.outage.sustainedFor", equalTo("15s"))
                .body("conditionalDefault", equalTo("HOLD")).body("deciders", equalTo("sre"));
        put(service, "production", "carol", """
                {"overrides": {"no-such-rule": {"sustainedFor": "10s"}, "outage": {"sustainedFor": "soon"},
                               "p1-conditional": {"waitFor": "1m"}},
                 "conditionalDefault": "MAYBE", "pack": "runbook@9", "reason": "x"}""")
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("overrides.no-such-rule", "overrides.outage.sustainedFor",
                        "overrides.p1-conditional.waitFor", "conditionalDefault", "pack"));
        given().get("/api/v1/policies/" + service + "/production").then().statusCode(200)
                .body("version", equalTo(1)).body("overrides.outage.sustainedFor", equalTo("15s"));
    }

    @Test
    void thePolicyPackIsServedReadOnly() {
        given().get("/api/v1/policy-packs/runbook").then().statusCode(200)
                .body("pack", equalTo("runbook")).body("version", equalTo(1))
                .body("rules.id", hasItems("smoke-failed", "outage", "p0-immediate", "error-rate-sustained",
                        "p1-conditional", "p2-monitor", "p3-notify"))
                .body("rules.find { it.id == 'outage' }.seed", containsString("Complete system outage > 5 minutes"));
        given().get("/api/v1/policy-packs/other").then().statusCode(404).contentType("application/problem+json");
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
                {"rollbackHold": true}""").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/validation"))
                .body("errors.field", hasItems("reason"));
        // Who changes a policy is the token's subject: a body naming someone is refused, not believed.
        put(service, "production", "eve", """
                {"rollbackHold": true, "changedBy": "carol", "reason": "x"}""").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/malformed-body"))
                .body("detail", containsString("changedBy"));
        put("Not A Service", "production", "eve", """
                {"rollbackHold": true, "reason": "x"}""").statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-scope"));

        given().get("/api/v1/policies/" + service + "/production/versions").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/no-policy"));
        given().get("/api/v1/policies/" + service + "/production").then().statusCode(200)
                .body("service", equalTo("*")).body("environment", equalTo("*"));
    }
}
