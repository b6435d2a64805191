package dev.rollwatch.platform.it;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * Request bodies every service reads through platform's ObjectMapper: a number that does not fit its field and a
 * key given twice are a 400 problem naming where, never a 500 and never a silent pick.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class StrictJsonIT {

    private static final String MALFORMED = "https://rollwatch.dev/problems/malformed-body";

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/it/commands").then();
    }

    private static void refused(String body, String detail) {
        post(body).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(MALFORMED)).body("status", equalTo(400)).body("detail", equalTo(detail));
    }

    @Test
    void aValidCommandIsAccepted() {
        post("{\"service\": \"a\", \"weight\": 5, \"count\": 9007199254740993, \"threshold\": 1.5e300,"
                + " \"timeout\": \"PT2M\", \"at\": \"2026-12-05T08:00:00Z\", \"items\": [{\"name\": \"x\", \"value\": 2147483647}]}")
                .statusCode(200).body("service", equalTo("a"));
    }

    @Test
    void numbersOutOfTheirFieldsRangeAreRefused() {
        refused("{\"weight\": 2147483648}", "a number is out of range at 'weight'");
        refused("{\"weight\": -99999999999999999999999}", "a number is out of range at 'weight'");
        refused("{\"maxRetries\": 2147483648}", "a number is out of range at 'maxRetries'");
        refused("{\"count\": 9223372036854775808}", "a number is out of range at 'count'");
        refused("{\"threshold\": 1e400}", "a number is out of range at 'threshold'");
        refused("{\"threshold\": -1e400}", "a number is out of range at 'threshold'");
        refused("{\"ratio\": 1e39}", "a number is out of range at 'ratio'");
        refused("{\"nested\": {\"value\": 1e10}}", "a value has the wrong type or is missing at 'nested.value'");
        refused("{\"items\": [{\"value\": 1}, {\"value\": 4294967296}]}",
                "a number is out of range at 'items[1].value'");
        refused("{\"timeout\": \"PT99999999999999999999H\"}", "a value has the wrong type or is missing at 'timeout'");
        refused("{\"timeout\": 1e30}", "a number is out of range at 'timeout'");
        refused("{\"timeout\": 99999999999999999999}", "a number is out of range at 'timeout'");
        refused("{\"timeout\": 9223372036854775807.5}", "a number is out of range at 'timeout'");
        refused("{\"at\": 1e30}", "a number is out of range at 'at'");
        refused("{\"at\": 9223372036854775807}", "a number is out of range at 'at'");
        refused("{\"at\": \"+1000000001-01-01T00:00:00Z\"}", "a value has the wrong type or is missing at 'at'");
        // A number longer than Jackson's limit (1000 digits) is not parsed at all.
        refused("{\"count\": " + "9".repeat(2000) + "}", "a number is out of range");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        refused("{\"service\": \"a\", \"service\": \"b\"}", "duplicate field 'service' at 'service'");
        refused("{\"service\": \"a\", \"weight\": 5, \"weight\": 100}", "duplicate field 'weight' at 'weight'");
        refused("{\"nested\": {\"name\": \"a\", \"name\": \"b\"}}", "duplicate field 'name' at 'nested.name'");
        refused("{\"items\": [{\"name\": \"a\"}, {\"value\": 1, \"value\": 2}]}",
                "duplicate field 'value' at 'items[1].value'");
        // The same name at different levels is not a duplicate.
        post("{\"service\": \"a\", \"nested\": {\"name\": \"service\"}, \"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}")
                .statusCode(200).body("service", equalTo("a"));
    }

    @Test
    void noRefusalIsAnInternalError() {
        for (String body : new String[] {"{\"weight\": 1e999999}", "{\"count\": -9223372036854775809}",
                "{\"timeout\": -1e400}", "{\"threshold\": 1e-400}"}) {
            post(body).statusCode(not(equalTo(500))).body(not(containsString("Exception")));
        }
    }
}
