package dev.rollwatch.audit;

import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static dev.rollwatch.audit.AuditTestSupport.awaitEntries;
import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Least privilege in the database: the service's own connections run as {@code rollwatch_audit_writer}, which can
 * append to and read the log but not change it, whether or not the append-only triggers fire.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditPrivilegesIT {

    static final String ROLE = "rollwatch_audit_writer";

    private static KafkaTestClient kafka;

    @Inject
    AgroalDataSource serviceDataSource;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private long appendOne() {
        RollbackFlow flow = new RollbackFlow();
        kafka.send(flow.started);
        return awaitEntries(flow.deploymentId, 1).getLong("entries[0].position");
    }

    @Test
    void theServicesOwnConnectionsRunAsTheWriterRoleAndCannotChangeTheLog() throws SQLException {
        long position = appendOne(); // the service appended it through these very connections
        try (Connection c = serviceDataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(ROLE);
            }
            for (String change : changes(position)) {
                assertThatThrownBy(() -> s.executeUpdate(change)).as(change).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
        }
    }

    @Test
    void updateDeleteAndTruncateFailForTheWriterRoleEvenWithTheTriggersDisabled() throws SQLException {
        long position = appendOne();
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            // Triggers off for this session only (the shared log's other users are not affected).
            s.execute("SET session_replication_role = replica");

            // Proof that the triggers really are off: the owner could now change a row (rolled back at once).
            c.setAutoCommit(false);
            assertThat(s.executeUpdate("UPDATE audit.audit_entry SET event_type = 'forged' WHERE position = "
                    + position)).isEqualTo(1);
            c.rollback();
            c.setAutoCommit(true);

            s.execute("SET ROLE " + ROLE);
            for (String change : changes(position)) {
                assertThatThrownBy(() -> s.executeUpdate(change)).as(change).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
            // ... while reading stays allowed to it, and the row is untouched.
            try (ResultSet rs = s.executeQuery("SELECT event_type FROM audit.audit_entry WHERE position = "
                    + position)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("dev.rollwatch.deployment.started.v1");
            }
        }
    }

    /** Every way of changing what was logged, on the log, its checkpoints and its head. */
    private static List<String> changes(long position) {
        return List.of(
                "UPDATE audit.audit_entry SET event_type = 'forged' WHERE position = " + position,
                "DELETE FROM audit.audit_entry WHERE position = " + position,
                "TRUNCATE audit.audit_entry",
                "UPDATE audit.audit_checkpoint SET key_id = 'forged'",
                "DELETE FROM audit.audit_checkpoint",
                "TRUNCATE audit.audit_checkpoint",
                "DELETE FROM audit.audit_head",
                "TRUNCATE audit.audit_head",
                "INSERT INTO audit.audit_head (id, position, head_hash) VALUES (2, 0, '\\x00')");
    }
}
