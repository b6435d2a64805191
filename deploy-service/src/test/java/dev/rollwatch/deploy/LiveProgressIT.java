package dev.rollwatch.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.rollwatch.deploy.Rollouts.awaitStatus;
import static dev.rollwatch.deploy.Rollouts.start;
import static dev.rollwatch.deploy.Rollouts.uniqueService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET /api/v1/deployments/{id}/events}: what a CLI following a rollout receives. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class LiveProgressIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1/deployments/")
    URL deployments;

    /** One received Server-Sent Event. */
    record Sent(String event, Map<String, Object> data) {
        Object status() {
            return data.get("status");
        }

        Object weight() {
            return data.get("currentWeight");
        }
    }

    /** Follows a deployment; the future completes when the server ends the stream. */
    private CompletableFuture<List<Sent>> follow(String id, List<Sent> received) throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(deployments + id
                + "/events")).header("Accept", "text/event-stream").header("Authorization", TestTokens.authorization())
                .build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/event-stream"));
        return CompletableFuture.supplyAsync(() -> {
            String event = null;
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        received.add(new Sent(event, JSON.readValue(data.toString(), new TypeReference<>() {
                        })));
                        event = null;
                        data.setLength(0);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return received;
        });
    }

    @Test
    void aWatcherGetsTheStateAtOnceThenEveryChangeAndTheStreamEndsWithTheTerminalState() throws Exception {
        String service = uniqueService("live");
        String id = start(service, """
                [{"setWeight": 5}, {"pause": {}}, {"setWeight": 25}, {"pause": {"duration": "1s"}},
                 {"setWeight": 100}]""");
        awaitStatus(id, "AWAITING_APPROVAL");

        List<Sent> received = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Sent>> stream = follow(id, received);
        await().atMost(Rollouts.WAIT).until(() -> !received.isEmpty());
        assertThat(received.get(0).status()).isEqualTo("AWAITING_APPROVAL");
        assertThat(received.get(0).weight()).isEqualTo(5);
        assertThat(received.get(0).data().get("currentStep")).isEqualTo(1);

        given().contentType(ContentType.JSON)
                .header("Authorization", Rollouts.as("ivy")).body(Rollouts.decision("go"))
                .when().post("/api/v1/deployments/" + id + "/approve").then().statusCode(200);

        List<Sent> events = stream.get(30, TimeUnit.SECONDS); // the server ended the stream
        assertThat(events).extracting(Sent::event).containsOnly("deployment");
        assertThat(events.get(events.size() - 1).status()).isEqualTo("SUCCEEDED");
        assertThat(events.get(events.size() - 1).weight()).isEqualTo(100);
        assertThat(events.subList(0, events.size() - 1)).extracting(Sent::status)
                .doesNotContain("SUCCEEDED").contains("RUNNING");
        assertThat(distinctInOrder(events.stream().map(Sent::weight).toList())).containsExactly(5, 25, 100);
        // The 1 s pause at 25% was seen while it ran: its step was open in some event.
        assertThat(events).anySatisfy(e -> {
            assertThat(e.weight()).isEqualTo(25);
            assertThat(e.data().get("currentStep")).isEqualTo(3);
        });
        // No two consecutive events are the same: each one is a change.
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).data()).isNotEqualTo(events.get(i - 1).data());
        }
        // The last event is what GET answers.
        Map<String, Object> get = JSON.readValue(given().when().get("/api/v1/deployments/" + id).then()
                .statusCode(200).extract().asString(), new TypeReference<>() {
                });
        assertThat(events.get(events.size() - 1).data()).isEqualTo(get);
    }

    @Test
    void aFinishedDeploymentGivesOneEventAndEnds() throws Exception {
        String id = start(uniqueService("done"), "[{\"setWeight\": 100}]");
        awaitStatus(id, "SUCCEEDED");

        List<Sent> events = follow(id, new ArrayList<>()).get(10, TimeUnit.SECONDS);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo("deployment");
            assertThat(e.status()).isEqualTo("SUCCEEDED");
        });
    }

    @Test
    void anUnknownDeploymentIs404ProblemJson() {
        given().accept("text/event-stream").when().get("/api/v1/deployments/" + UUID.randomUUID() + "/events")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://rollwatch.dev/problems/not-found"));
    }

    /** The values with consecutive repeats collapsed: 5, 5, 25, 25, 100 → 5, 25, 100. */
    private static List<Object> distinctInOrder(List<Object> values) {
        List<Object> out = new ArrayList<>();
        for (Object v : values) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
