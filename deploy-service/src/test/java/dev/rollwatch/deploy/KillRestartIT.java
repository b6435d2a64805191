package dev.rollwatch.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.StepStarted;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.ServiceProcess;
import dev.rollwatch.testsupport.TestTokens;
import dev.rollwatch.testsupport.TestKafka;
import dev.rollwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged deploy-service as its own process, killed with SIGKILL in the middle of two rollouts (one in a
 * timed pause, one with a target call in flight behind a slow network) and started again: every deployment
 * finishes, the real demo-target applied each weight exactly once, and the events on Kafka are complete.
 *
 * <p>Not a {@code @QuarkusTest}: the in-JVM application of the other ITs may be running at the same time, so the
 * process gets a schema ({@code deploy_process}) and consumer groups of its own on the shared broker and database.
 */
class KillRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration CALL_DELAY = Duration.ofSeconds(4);

    private static ServiceProcess deploy;
    private static DemoTarget demo;
    private static SlowProxy slowNetwork;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void launch() throws Exception {
        Map<String, String> env = Map.of(
                "ROLLWATCH_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers(),
                "ROLLWATCH_DB_URL", TestPostgres.jdbcUrl(),
                "ROLLWATCH_DB_USER", TestPostgres.USER,
                "ROLLWATCH_DB_PASSWORD", TestPostgres.PASSWORD,
                "ROLLWATCH_TARGET_SECRET", TargetStub.TEST_SECRET,
                // The packaged service runs the production profile: its targets here are ad-hoc, on loopback.
                "ROLLWATCH_DEPLOY_TARGETS_REQUIRE_REGISTRATION", "false",
                "ROLLWATCH_OUTBOUND_ALLOW_LOOPBACK", "true");
        demo = DemoTarget.shared();
        slowNetwork = new SlowProxy(demo.url(), CALL_DELAY);
        kafka = KafkaTestClient.forTestBroker();
        deploy = ServiceProcess.launch(DemoTarget.root(), "deploy-service", env, DemoTarget.logs(),
                "-Drollwatch.db.schema=deploy_process",
                // Each call takes CALL_DELAY (4 s) through the slow proxy: with the default 5 s per attempt, a loaded
                // machine timed the re-sent call out and the driver sent it a third time (same webhook-id, applied
                // once). What this test is about is the kill in flight, not the driver's deadline.
                "-Drollwatch.deploy.http-driver.request-timeout=20s",
                "-Dmp.messaging.incoming.rollback-requested.group.id=deploy-service-process",
                "-Dmp.messaging.incoming.analysis-completed.group.id=deploy-service-process");
        deploy.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (deploy != null) {
            deploy.close();
        }
        if (slowNetwork != null) {
            slowNetwork.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aKilledAndRestartedServiceFinishesEveryDeploymentWithNoDuplicatedTargetCall() throws Exception {
        String pausedService = "killed-pause-" + UUID.randomUUID().toString().substring(0, 8);
        String slowService = "killed-call-" + UUID.randomUUID().toString().substring(0, 8);
        String paused = create(pausedService, demo.url(),
                "[{\"setWeight\": 5}, {\"pause\": {\"duration\": \"10s\"}}, {\"setWeight\": 25}, {\"setWeight\": 100}]");
        String slow = create(slowService, slowNetwork.url(),
                "[{\"setWeight\": 5}, {\"setWeight\": 25}, {\"setWeight\": 100}]");

        // The 25% call of `slow` is on its way to the target while `paused` sits in its timed pause.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                slowNetwork.inFlight(25));
        Map<String, Object> beforeKill = get(paused);
        assertThat(beforeKill).containsEntry("status", "RUNNING").containsEntry("currentStep", 1)
                .containsEntry("currentWeight", 5);
        deploy.kill();
        assertThat(slowNetwork.inFlight(25)).as("killed while the 25%% call was in flight").isTrue();

        deploy.restart();
        deploy.awaitReady(Duration.ofSeconds(120));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(get(paused)).containsEntry("status", "SUCCEEDED");
            assertThat(get(slow)).containsEntry("status", "SUCCEEDED");
        });

        // The target applied every weight exactly once; the in-flight call, re-sent after the restart under the
        // same webhook-id, was recognised as a repeat.
        assertThat(demo.appliedWeights(paused)).containsExactly(5, 25, 100);
        assertThat(demo.calls(paused)).extracting(c -> c.get("kind"))
                .containsExactly("traffic", "traffic", "traffic", "finalize");
        assertThat(demo.calls(paused)).extracting(c -> c.get("deliveries")).containsOnly(1);
        assertThat(demo.appliedWeights(slow)).containsExactly(5, 25, 100);
        assertThat(demo.calls(slow)).extracting(c -> c.get("webhookId"), c -> c.get("deliveries")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("msg_" + slow + "_step0_traffic", 1),
                org.assertj.core.groups.Tuple.tuple("msg_" + slow + "_step1_traffic", 2),
                org.assertj.core.groups.Tuple.tuple("msg_" + slow + "_step2_traffic", 1),
                org.assertj.core.groups.Tuple.tuple("msg_" + slow + "_finalize", 1));
        assertThat(demo.state(slowService)).containsEntry("stableVersion", "2.4.0").containsEntry("weight", 0);
        assertThat(slowNetwork.arrivals()).filteredOn(a -> a.webhookId().contains(slow) && a.weight() == 25)
                .hasSize(2).extracting(SlowProxy.Arrival::webhookId).containsOnly("msg_" + slow + "_step1_traffic");

        assertCompleteEvents(paused, 4);
        assertCompleteEvents(slow, 3);
    }

    /** Each step started and completed once (a repeat only as a redelivery of the same event id), one finish. */
    private static void assertCompleteEvents(String id, int steps) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Envelope<EventData>> started = kafka.eventsAbout(Topics.STEP_STARTED, id);
            List<Envelope<EventData>> completed = kafka.eventsAbout(Topics.STEP_COMPLETED, id);
            List<Envelope<EventData>> finished = kafka.eventsAbout(Topics.DEPLOYMENT_FINISHED, id);
            assertThat(idsByStep(started, StepStarted.class)).hasSize(steps)
                    .allSatisfy((index, ids) -> assertThat(ids).hasSize(1));
            assertThat(idsByStep(completed, StepCompleted.class)).hasSize(steps)
                    .allSatisfy((index, ids) -> assertThat(ids).hasSize(1));
            assertThat(completed).extracting(e -> e.as(StepCompleted.class).data().outcome())
                    .containsOnly(StepOutcome.SUCCEEDED);
            assertThat(finished).extracting(Envelope::id).containsOnly(finished.get(0).id());
            assertThat(finished.get(0).as(DeploymentFinished.class).data().outcome())
                    .isEqualTo(DeploymentOutcome.SUCCEEDED);
        });
    }

    private static Map<Integer, Set<String>> idsByStep(List<Envelope<EventData>> events,
            Class<? extends EventData> type) {
        return events.stream().collect(Collectors.groupingBy(e -> e.data() instanceof StepStarted s ? s.stepIndex()
                : ((StepCompleted) e.as(type).data()).stepIndex(), Collectors.mapping(Envelope::id,
                Collectors.toSet())));
    }

    private static String create(String service, String targetUrl, String steps) throws Exception {
        String body = """
                {"service": "%s", "environment": "production", "version": "2.4.0", "previousVersion": "2.3.0",
                 "target": {"type": "http", "url": "%s"}, "strategy": {"steps": %s}}"""
                .formatted(service, targetUrl, steps);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(deploy.url("/api/v1/deployments")))
                .header("Content-Type", "application/json").header("Authorization", Rollouts.as("alice")).POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return (String) JSON.readValue(r.body(), Map.class).get("id");
    }

    private static Map<String, Object> get(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(deploy.url("/api/v1/deployments/" + id)))
                .header("Authorization", TestTokens.authorization()).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readValue(r.body(), new TypeReference<>() {
        });
    }
}
