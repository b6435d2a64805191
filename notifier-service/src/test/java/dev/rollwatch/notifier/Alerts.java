package dev.rollwatch.notifier;

import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.DeploymentSummary;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Operator;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Target;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.Trigger;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.TestKafka;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Events as their producers send them, and the waits the ITs share. */
final class Alerts {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Alerts() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Envelope<ThresholdBreached> breach(String deploymentId, String service, Severity severity) {
        return Envelope.of("/rollwatch/monitor-service", deploymentId, new ThresholdBreached(service, "production",
                "2.4.0", "error-rate", "error_rate", "rate(errors[30s])", List.of(0.0187, 0.0342), 0.01,
                Operator.GT, Duration.ofSeconds(30), severity, 2, 2, Instant.now(), 2));
    }

    /** A valid event for each consumed topic. */
    static Envelope<? extends EventData> eventOn(String topic, String deploymentId, String service) {
        return switch (topic) {
            case Topics.THRESHOLD_BREACHED -> breach(deploymentId, service, Severity.P2);
            case Topics.ROLLBACK_REQUESTED -> Envelope.of("/rollwatch/rollback-service", deploymentId,
                    new RollbackRequested(service, "production", Trigger.AUTOMATIC, "error rate 3.4% > 1%",
                            List.of(UUID.randomUUID().toString()), "p1-immediate", 1, "2.4.0", "2.3.0",
                            "rollback-service", Instant.now()));
            case Topics.ROLLBACK_COMPLETED -> Envelope.of("/rollwatch/deploy-service", deploymentId,
                    new RollbackCompleted(service, "production", RollbackOutcome.SUCCEEDED, "2.3.0", 800, 950L,
                            null));
            case Topics.DEPLOYMENT_STARTED -> Envelope.of("/rollwatch/deploy-service", deploymentId,
                    new DeploymentStarted(service, "production", "2.4.0", "2.3.0",
                            new Target("http", "http://127.0.0.1:8090", null), List.of(), null, "alice"));
            case Topics.DEPLOYMENT_FINISHED -> Envelope.of("/rollwatch/deploy-service", deploymentId,
                    new DeploymentFinished(DeploymentOutcome.ROLLED_BACK, new DeploymentSummary(service,
                            "production", "2.4.0", "2.3.0", 4, 2, 100, 0, 61000, "rolled back")));
            case Topics.ROLLBACK_ESCALATED -> escalated(deploymentId, service);
            case Topics.ROLLBACK_DECISIONS -> decided(deploymentId, service, RollbackDecided.ALERT);
            case Topics.STEP_COMPLETED -> Envelope.of("/rollwatch/deploy-service", deploymentId,
                    new dev.rollwatch.events.StepCompleted(1, dev.rollwatch.events.StepKind.SET_WEIGHT,
                            dev.rollwatch.events.StepOutcome.SUCCEEDED, 5, 300, null));
            case Topics.BAKE_CHECKPOINTS -> Envelope.of("/rollwatch/monitor-service", deploymentId,
                    new dev.rollwatch.events.BakeCheckpoint(service, "production", "2.4.0", Duration.ofMinutes(15),
                            1, 3, Duration.ofHours(1), Instant.now(), dev.rollwatch.events.Verdict.SUCCESSFUL, false,
                            List.of()));
            case Topics.APPROVAL_REQUESTS -> Envelope.of("/rollwatch/deploy-service", deploymentId,
                    new dev.rollwatch.events.ApprovalRequested(service, "production", "2.4.0", 3, "go/no-go gate",
                            "operator", Instant.now()));
            case Topics.ROLLBACK_VERIFICATIONS -> Envelope.of("/rollwatch/monitor-service", deploymentId,
                    new dev.rollwatch.events.RollbackVerified(service, "production", "2.3.0",
                            dev.rollwatch.events.RollbackVerified.VERIFIED, Duration.ofMinutes(30), Instant.now(),
                            Instant.now(), null, null, List.of()));
            default -> throw new IllegalArgumentException(topic);
        };
    }

    static Envelope<RollbackEscalated> escalated(String deploymentId, String service) {
        Instant requested = Instant.parse("2026-03-02T14:01:03Z");
        return Envelope.of("/rollwatch/rollback-service", deploymentId, new RollbackEscalated(service, "production",
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), RollbackEscalated.RULE_DEADLINE_EXCEEDED,
                Severity.P1, requested, requested.plusSeconds(120), requested.plusSeconds(121), "2.3.0",
                "no RollbackCompleted within 120 s"));
    }

    static Envelope<RollbackDecided> decided(String deploymentId, String service, String action) {
        return Envelope.of("/rollwatch/rollback-service", deploymentId, new RollbackDecided(service, "production",
                UUID.randomUUID().toString(), action, "p2-persistent", "error-rate breached 3 times in 5m",
                Severity.P2, "error-rate", 7L, 3, UUID.randomUUID().toString(), null));
    }

    /** The delivery history for an event, once it has {@code count} deliveries in a final state. */
    static JsonPath awaitDeliveries(String eventId, int count) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> given()
                        .queryParam("eventId", eventId).get("/api/v1/deliveries").then().statusCode(200)
                        .extract().jsonPath(),
                json -> json.getList("items").size() == count
                        && !json.getList("items.status", String.class).contains("PENDING"));
    }

    static JsonPath deliveries(String query, String value) {
        return given().queryParam(query, value).get("/api/v1/deliveries").then().statusCode(200).extract().jsonPath();
    }

    /** The outcome event for {@code channel} about a deployment, as published on notification-outcomes. */
    static <T extends EventData> Envelope<T> awaitOutcome(KafkaTestClient kafka, String deploymentId, String channel,
            Class<T> type) {
        List<ConsumerRecord<String, byte[]>> records = kafka.awaitRecords(Topics.NOTIFICATION_OUTCOMES,
                r -> deploymentId.equals(r.key()) && channel.equals(channelOf(EventCodec.decode(r.value()).data()))
                        && type.isInstance(EventCodec.decode(r.value()).data()), WAIT);
        return EventCodec.decode(records.get(records.size() - 1).value()).as(type);
    }

    static String channelOf(EventData data) {
        if (data instanceof dev.rollwatch.events.NotificationDelivered d) {
            return d.channel();
        }
        if (data instanceof dev.rollwatch.events.NotificationFailed f) {
            return f.channel();
        }
        return null;
    }

    /** Sends an event as the audit service replays it: same bytes, with the replay header. */
    static void sendReplay(Envelope<?> event) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic(), event.key(),
                    EventCodec.encode(event));
            record.headers().add(Topics.REPLAY_HEADER, "true".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send the replayed record", e);
        }
    }
}
