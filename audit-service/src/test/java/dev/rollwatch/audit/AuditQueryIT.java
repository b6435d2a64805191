package dev.rollwatch.audit;

import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditQueryIT {

    private static KafkaTestClient kafka;

    @TestHTTPResource("/api/v1/audit/events/stream")
    URL stream;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static JsonPath page(String query) {
        return given().when().get("/api/v1/audit/events?" + query).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void filtersAndTheCursorPageThroughADeploymentInPositionOrder() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());
        String d = "deploymentId=" + flow.deploymentId;

        JsonPath first = page(d + "&limit=3");
        assertThat(first.getList("entries.id", String.class))
                .containsExactly(flow.started.id(), flow.stepStarted.id(), flow.stepCompleted.id());
        long cursor = first.getLong("nextAfter");
        assertThat(cursor).isEqualTo(first.getLong("entries[2].position"));
        JsonPath second = page(d + "&limit=3&after=" + cursor);
        assertThat(second.getList("entries.id", String.class))
                .containsExactly(flow.breach.id(), flow.requested.id(), flow.notified.id());
        JsonPath third = page(d + "&limit=3&after=" + second.getLong("nextAfter"));
        assertThat(third.getList("entries.id", String.class))
                .containsExactly(flow.completed.id(), flow.finished.id());
        assertThat(third.getObject("nextAfter", Long.class)).isNull();

        assertThat(page(d + "&type=dev.rollwatch.threshold.breached.v1").getList("entries.id", String.class))
                .containsExactly(flow.breach.id());
        assertThat(page(d + "&source=/rollwatch/rollback-service").getList("entries.id", String.class))
                .containsExactly(flow.requested.id());
        assertThat(page(d + "&from=" + flow.breach.time() + "&to=" + flow.requested.time())
                .getList("entries.id", String.class)).containsExactly(flow.breach.id());
    }

    @Test
    void theTimelineResolvesTheRollbackChainWithItsDurations() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());

        JsonPath timeline = given().when().get("/api/v1/audit/deployments/" + flow.deploymentId + "/timeline")
                .then().statusCode(200).extract().jsonPath();
        assertThat(timeline.getList("events.id", String.class))
                .containsExactlyElementsOf(flow.events().stream().map(e -> e.id()).toList());
        assertThat(timeline.getString("rollbacks[0].breaches[0].check")).isEqualTo("error-rate");
        assertThat(timeline.getDouble("rollbacks[0].breaches[0].threshold")).isEqualTo(0.01);
        assertThat(timeline.getList("rollbacks[0].breaches[0].observed", Double.class)).containsExactly(0.0831);
        assertThat(timeline.getString("rollbacks[0].decision.policyRule")).isEqualTo("p1-immediate");
        assertThat(timeline.getString("rollbacks[0].rollback.outcome")).isEqualTo("SUCCEEDED");
        assertThat(timeline.getString("rollbacks[0].finished.outcome")).isEqualTo("ROLLED_BACK");
        assertThat(timeline.getString("rollbacks[0].notifications[0].channel")).isEqualTo("oncall-pager");
        assertThat(timeline.getLong("rollbacks[0].durations.breachToDecisionMs")).isEqualTo(15);
        assertThat(timeline.getLong("rollbacks[0].durations.decisionToRollbackDoneMs")).isEqualTo(105);
        assertThat(timeline.getLong("rollbacks[0].durations.breachToRollbackDoneMs")).isEqualTo(120);

        given().when().get("/api/v1/audit/deployments/" + UUID.randomUUID() + "/timeline")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/not-found"));
    }

    @Test
    void theNdjsonExportStreamsTheDeploymentsEntriesInOrder() {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());

        String body = given().queryParam("deploymentId", flow.deploymentId)
                .when().get("/api/v1/audit/events/stream")
                .then().statusCode(200).contentType("application/x-ndjson").extract().asString();
        List<String> ids = body.lines().map(line -> JsonPath.from(line).getString("id")).toList();
        assertThat(ids).containsExactlyElementsOf(flow.events().stream().map(e -> e.id()).toList());
        assertThat(JsonPath.from(body.lines().findFirst().orElseThrow()).getString("event.data.version"))
                .isEqualTo("2.4.0");

    }

    @Test
    void followKeepsStreamingNewEntriesAsTheyAreAppended() throws Exception {
        RollbackFlow flow = new RollbackFlow();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(
                HttpRequest.newBuilder(URI.create(stream + "?follow=true&deploymentId=" + flow.deploymentId))
                        .header("Authorization", TestTokens.authorization()).build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> response.join().body().filter(l -> !l.isBlank()).forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            kafka.send(flow.started);
            String first = lines.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(JsonPath.from(first).getString("id")).isEqualTo(flow.started.id());
            kafka.send(flow.stepStarted);
            String second = lines.poll(30, TimeUnit.SECONDS);
            assertThat(second).isNotNull();
            assertThat(JsonPath.from(second).getString("id")).isEqualTo(flow.stepStarted.id());
            assertThat(response.join().statusCode()).isEqualTo(200);
        } finally {
            response.join().body().close();
            reader.interrupt();
        }
    }
}
