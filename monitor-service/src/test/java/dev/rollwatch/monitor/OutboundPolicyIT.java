package dev.rollwatch.monitor;

import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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

/**
 * The monitor's outbound calls go through the platform's URL policy with the deployment's environment (issue 17, 1):
 * a metrics URL on the link-local metadata range (169.254.0.0/16) is never scraped — even where the tests allow
 * loopback — and its check is ERROR with a fixed reason, no remote text and no policy detail; a refused URL is a
 * misconfiguration, never an outage breach.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class OutboundPolicyIT {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aMetricsUrlOnTheMetadataRangeIsNeverScrapedAndTheReasonIsFixed() throws InterruptedException {
        String id = Deployments.newId();
        Deployments.startWatch(kafka, id, Deployments.service("ssrf"), List.of(new CheckSpec("error-rate", "scrape",
                "error_rate", null, null, 0.01, Duration.ofSeconds(1), Duration.ofSeconds(5), 1, 3, Severity.P1)),
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/role?x=1");

        JsonPath view = await().atMost(WAIT).until(() -> given().when().get("/api/v1/deployments/" + id + "/analysis")
                .then().statusCode(200).extract().jsonPath(), v -> "ERROR".equals(v.getString("checks[0].verdict")));

        assertThat(view.getString("checks[0].recent[0].reason")).isEqualTo("scrape of "
                + "http://169.254.169.254/latest/meta-data/iam/security-credentials/role refused: the metrics URL is "
                + "not an allowed destination (outbound policy: private, loopback, link-local and metadata addresses "
                + "are refused unless allow-listed)");
        assertThat(view.getInt("checks[0].totalFailures")).isZero();
        // Longer than the tests' outage window (3 s): a refused URL is not a target that is down.
        Thread.sleep(5_000);
        assertThat(kafka.eventsAbout(Topics.THRESHOLD_BREACHED, id)).isEmpty();
        assertThat(given().when().get("/api/v1/deployments/" + id + "/analysis").then().extract().jsonPath()
                .getList("breaches")).isEmpty();
    }
}
