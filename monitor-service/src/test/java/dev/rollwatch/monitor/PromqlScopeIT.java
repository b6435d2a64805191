package dev.rollwatch.monitor;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Severity;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.rollwatch.monitor.Deployments.WAIT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A deployer's PromQL reads only its own service's series (issue 17, 5; review M7): against a stand-in Prometheus that
 * records every query, a check querying another service is ERROR with a fixed reason and never reaches the server,
 * while a check choosing the administrator's template runs it for the deployment's service and version.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakePrometheusResource.class, restrictToAnnotatedClass = true)
class PromqlScopeIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    private static CheckSpec prometheus(String name, String query) {
        return new CheckSpec(name, "prometheus", "error_rate", query, null, 0.01, Duration.ofSeconds(1),
                Duration.ofSeconds(5), 1, 3, Severity.P1);
    }

    @Test
    void aQueryOfAnotherServiceNeverReachesPrometheusWhileTheTemplateRunsForTheDeployment() {
        String service = Deployments.service("promql-scope");
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, service, List.of(
                prometheus("templated", "template:error-rate"),
                prometheus("other-service", "sum(rate(http_requests_total{service=\"other\",code=~\"5..\"}[1m]))"),
                prometheus("unscoped", "sum(rate(http_requests_total{version=\"{{version}}\"}[1m]))"),
                prometheus("unknown-template", "template:latency")), null);

        JsonPath view = await().atMost(WAIT).until(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().statusCode(200).extract().jsonPath(), v -> v.getInt("checks.find { it.name == "
                + "'templated' }.measurements") >= 2 && v.getString("checks.find { it.name == 'unknown-template' }"
                + ".verdict").equals("ERROR") && v.getString("checks.find { it.name == 'other-service' }.verdict")
                .equals("ERROR") && v.getString("checks.find { it.name == 'unscoped' }.verdict").equals("ERROR"));

        assertThat(view.getFloat("checks.find { it.name == 'templated' }.lastValue")).isEqualTo(0.002f);
        assertThat(view.getString("checks.find { it.name == 'templated' }.verdict")).isEqualTo("SUCCESSFUL");
        assertThat(view.getString("checks.find { it.name == 'other-service' }.recent[0].reason"))
                .isEqualTo("query refused: selector 1 of 1 does not carry service=\"" + service + "\" (a query may "
                        + "only read the series of its deployment's service)");
        assertThat(view.getString("checks.find { it.name == 'unscoped' }.recent[0].reason"))
                .contains("does not carry service=\"" + service + "\"");
        assertThat(view.getString("checks.find { it.name == 'unknown-template' }.recent[0].reason"))
                .isEqualTo("unknown query template latency (rollwatch.monitor.prometheus.templates)");
        assertThat(view.getInt("checks.find { it.name == 'other-service' }.totalFailures")).isZero();

        List<String> asked = List.copyOf(FakePrometheusResource.QUERIES);
        assertThat(asked).as("queries Prometheus received")
                .contains(FakePrometheusResource.TEMPLATE.replace("{{service}}", service)
                        .replace("{{version}}", "2.4.0"))
                .noneMatch(q -> q.contains("service=\"other\""))
                .doesNotContain("sum(rate(http_requests_total{version=\"2.4.0\"}[1m]))");
    }

    @Test
    void validationRefusesAQueryOfAnotherService() {
        given().contentType(ContentType.JSON).body("""
                {"service": "checkout", "checks": [
                  {"name": "errors", "provider": "prometheus", "metric": "error_rate", "max": 0.01,
                   "query": "sum(rate(http_requests_total{service=\\"payments\\"}[1m]))"},
                  {"name": "mine", "provider": "prometheus", "metric": "error_rate", "max": 0.01,
                   "query": "sum(rate(http_requests_total{service=\\"checkout\\"}[1m]))"},
                  {"name": "templated", "provider": "prometheus", "metric": "error_rate", "max": 0.01,
                   "query": "template:error-rate"}]}
                """).when().post("/api/v1/checks/validate").then()
                .statusCode(400)
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-check"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].check", equalTo(0))
                .body("errors[0].field", equalTo("query"))
                .body("errors[0].message", containsString("service=\"checkout\""));
        given().contentType(ContentType.JSON).body("""
                {"checks": [{"name": "errors", "provider": "prometheus", "metric": "error_rate", "max": 0.01,
                   "query": "sum(rate(http_requests_total{version=\\"{{version}}\\"}[1m]))"}]}
                """).when().post("/api/v1/checks/validate").then()
                .statusCode(400)
                .body("errors[0].message", containsString("service=\"{{service}}\""));
    }
}
