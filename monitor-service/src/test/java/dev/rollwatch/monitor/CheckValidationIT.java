package dev.rollwatch.monitor;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** POST /api/v1/checks/validate: check specs judged before a deployment starts. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class CheckValidationIT {

    @Test
    void validChecksComeBackAsTheMonitorWillApplyThem() {
        given().contentType(ContentType.JSON).body("""
                {"checks": [{"name": "errors", "provider": "prometheus", "metric": "error_rate", "max": 0.01,
                             "query": "sum(rate(http_requests_total{service=\\"{{service}}\\",version=\\"{{version}}\\",code=~\\"5..\\"}[1m]))"},
                            {"name": "queue", "provider": "push", "metric": "queue_size", "max": 1000,
                             "interval": "PT1S", "severity": "P1"}]}
                """).when().post("/api/v1/checks/validate").then()
                .statusCode(200)
                .body("name", contains("errors", "queue"))
                .body("failureLimit", contains(1, 1))
                .body("consecutiveErrorLimit", contains(4, 4))
                .body("severity", contains("P2", "P1"))
                .body("interval", contains("PT5S", "PT1S"));
    }

    @Test
    void noChecksMeansTheBuiltInDefaults() {
        given().contentType(ContentType.JSON).body("{\"checks\": []}").when().post("/api/v1/checks/validate")
                .then().statusCode(200).body("name", contains("error-rate", "error-rate-warning",
                        "error-rate-critical", "latency-p95", "latency-p95-critical", "latency-p99", "success-rate",
                        "success-rate-critical", "queue-size", "queue-size-high", "queue-size-warning",
                        "memory-growth", "memory-utilization", "cpu-utilization", "cpu-utilization-critical"));
    }

    @Test
    void invalidChecksAreAProblemListingEveryError() {
        given().contentType(ContentType.JSON).body("""
                {"checks": [{"name": "errors", "provider": "prometheus", "metric": "error_rate", "max": 0.01},
                            {"name": "p95", "provider": "datadog", "metric": "latency_p95"}]}
                """).when().post("/api/v1/checks/validate").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/invalid-check"))
                .body("errors.check", contains(0, 1, 1))
                .body("errors.field", contains("query", "max", "provider"))
                .body("errors[2].message", containsString("unknown provider datadog"));
    }

    @Test
    void aMalformedBodyIsAProblemToo() {
        given().contentType(ContentType.JSON).body("{\"checks\": [{\"name\": \"x\", \"severity\": \"P9\"}]}")
                .when().post("/api/v1/checks/validate").then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
