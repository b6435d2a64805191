package dev.rollwatch.platform.it;

import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.warmup.Warmup;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.awaitility.Awaitility.await;

/**
 * The start-up warm-up (on in production, off in the other tests): it runs every step — topic metadata, sends to
 * producer-warmup, the event codec over every golden event, an inbox claim and an outbox row — and leaves nothing a
 * user could see: no inbox or outbox row, no event sent to Kafka (only producer-warmup's records, which nobody
 * reads); readiness says it is done.
 */
@QuarkusTest
@TestProfile(WarmupIT.WarmupOn.class)
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class WarmupIT {

    public static class WarmupOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollwatch.warmup.enabled", "true", "rollwatch.warmup.iterations", "20");
        }
    }

    @Inject
    Warmup warmup;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The end offset of the one partition of producer-warmup, read from the real broker. */
    private long warmupTopicRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicPartition partition = new TopicPartition(Topics.PRODUCER_WARMUP, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(10, TimeUnit.SECONDS).offset();
        }
    }

    @Test
    void everyStepRunsAndNothingStays() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> !warmup.took().isEmpty());

        assertThat(warmup.took().keySet()).as("the steps that ran (a failed one is missing)")
                .contains("topic metadata", "Kafka sends (producer-warmup)", "inbox and outbox (rolled back)")
                .anyMatch(step -> step.startsWith("event codec ("));
        assertThat(warmup.took().keySet().stream().filter(s -> s.startsWith("event codec (")).findFirst().orElseThrow())
                .as("every event type's golden event").doesNotContain("(0 events)");
        long inbox = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM processed_event WHERE event_id LIKE 'rollwatch-warmup-%'").getSingleResult())
                .longValue());
        assertThat(inbox).as("inbox claims left by the warm-up").isZero();
        long outbox = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM outbox_message WHERE id LIKE 'rollwatch-warmup-%'").getSingleResult()).longValue());
        assertThat(outbox).as("outbox rows left by the warm-up").isZero();
        assertThat(registry.counter("rollwatch.outbox.published").count()).as("events sent by the warm-up").isZero();
        assertThat(warmupTopicRecords()).as("records the warm-up sent to producer-warmup (20 iterations: 2 sends)")
                .isGreaterThanOrEqualTo(2);

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'warm-up' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'warm-up' }.data.'warm-up'", equalTo("done"))
                .body("checks.name", hasItem("warm-up"));
    }
}
