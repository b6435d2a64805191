package dev.rollwatch.audit;

import dev.rollwatch.audit.domain.Checkpoint;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.service.Checkpoints;
import dev.rollwatch.events.AuditCheckpointed;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.InvalidEventException;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static dev.rollwatch.audit.AuditTestSupport.WAIT;
import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Checkpoints leave the database: each is published on audit-checkpoints, verifiable with the public key alone. */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditCheckpointPublishIT {

    private static KafkaTestClient kafka;

    @Inject
    Checkpoints checkpoints;

    @Inject
    AuditLogRepository log;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aCheckpointIsPublishedToItsTopicAndItsSignatureVerifiesWithThePublishedPublicKey() throws Exception {
        sendInOrder(kafka, new RollbackFlow().events());
        long size = checkpoints.checkpointNow().or(() -> log.lastCheckpoint()).map(Checkpoint::position)
                .orElseThrow();

        List<ConsumerRecord<String, byte[]>> records = kafka.awaitRecords(Topics.AUDIT_CHECKPOINTS,
                r -> sizeOf(r) == size, WAIT);
        ConsumerRecord<String, byte[]> record = records.get(records.size() - 1);
        assertThat(record.key()).isEqualTo("audit");
        Envelope<AuditCheckpointed> event = EventCodec.decode(record.value()).as(AuditCheckpointed.class);
        assertThat(event.source()).isEqualTo("/rollwatch/audit-service");
        assertThat(event.type()).isEqualTo(EventType.AUDIT_CHECKPOINTED);
        AuditCheckpointed checkpoint = event.data();
        assertThat(checkpoint.algorithm()).isEqualTo("Ed25519");

        // The signed head is the log's entry at that position ...
        String entryHash = given().queryParam("after", size - 1).queryParam("limit", 1)
                .when().get("/api/v1/audit/events").then().statusCode(200).extract().path("entries[0].entryHash");
        assertThat(checkpoint.headHash()).isEqualTo(entryHash);

        // ... and the signature verifies with nothing but the published public key.
        JsonPath key = given().when().get("/api/v1/audit/checkpoints/public-key").then().statusCode(200)
                .extract().jsonPath();
        assertThat(checkpoint.keyId()).isEqualTo(key.getString("keyId"));
        PublicKey publicKey = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key.getString("publicKey"))));
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(publicKey);
        ed25519.update(ByteBuffer.allocate(29 + 8 + 32)
                .put("rollwatch-audit-checkpoint-v1".getBytes(StandardCharsets.US_ASCII)).putLong(checkpoint.size())
                .put(HexFormat.of().parseHex(checkpoint.headHash())).array());
        assertThat(ed25519.verify(Base64.getDecoder().decode(checkpoint.signature()))).isTrue();

        // The log keeps the checkpoint event like every other event.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> given()
                .queryParam("type", EventType.AUDIT_CHECKPOINTED.type()).queryParam("limit", 1000)
                .when().get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath()
                .getList("entries.id", String.class).contains(event.id()));
    }

    private static long sizeOf(ConsumerRecord<String, byte[]> record) {
        try {
            return EventCodec.decode(record.value()).as(AuditCheckpointed.class).data().size();
        } catch (InvalidEventException | IllegalStateException e) {
            return -1;
        }
    }
}
