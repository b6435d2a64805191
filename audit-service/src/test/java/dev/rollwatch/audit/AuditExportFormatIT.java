package dev.rollwatch.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.rest.EntryView;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.rollwatch.audit.AuditTestSupport.sendInOrder;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NDJSON export writes each row's columns straight into the line (no entry, view or tree per row); what it
 * writes is byte for byte what it wrote when it serialized an {@link EntryView} per row with the service's own
 * mapper — the same fields in the same order, the same instants, hashes and event JSON.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditExportFormatIT {

    private static KafkaTestClient kafka;

    @Inject
    ObjectMapper mapper;

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
    void theExportIsByteForByteTheViewOfEachEntry() throws Exception {
        RollbackFlow flow = new RollbackFlow();
        sendInOrder(kafka, flow.events());

        byte[] body = given().queryParam("deploymentId", flow.deploymentId)
                .when().get("/api/v1/audit/events/stream")
                .then().statusCode(200).contentType("application/x-ndjson").extract().asByteArray();

        ObjectMapper json = mapper.copy().disable(SerializationFeature.INDENT_OUTPUT);
        List<StoredEntry> entries = log.bySubject(flow.deploymentId, null);
        assertThat(entries).hasSize(flow.events().size());
        StringBuilder expected = new StringBuilder();
        for (StoredEntry e : entries) {
            expected.append(new String(json.writeValueAsBytes(EntryView.of(e)), StandardCharsets.UTF_8)).append('\n');
        }
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }
}
