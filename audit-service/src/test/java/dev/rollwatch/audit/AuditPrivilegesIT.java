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
import java.util.ArrayList;
import java.util.List;

import static dev.rollwatch.audit.AuditTestSupport.awaitEntries;
import static dev.rollwatch.audit.AuditTestSupport.superuser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

/**
 * Least privilege in the database (issue 17, 3b): the service's pool logs in as {@code rollwatch_audit_app}, a role
 * that owns nothing and is no superuser, with only what {@code rollwatch_audit_writer} holds. From its connections
 * nothing can change the log — not with DML, not by disabling the triggers, not by leaving a role with RESET ROLE, not
 * with {@code session_replication_role} — while ingest and verify work; Flyway migrated as the owner.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class AuditPrivilegesIT {

    static final String LOGIN = "rollwatch_audit_app";
    /** The SQLSTATE of "permission denied" / "must be owner". */
    static final String INSUFFICIENT_PRIVILEGE = "42501";

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
    void theServicesPoolLogsInAsItsOwnRoleThatOwnsNothingAndIsNoSuperuser() throws SQLException {
        appendOne(); // the service appended it through these very connections
        try (Connection c = serviceDataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT session_user, current_user, r.rolsuper, r.rolcreaterole, "
                     + "r.rolbypassrls, (SELECT tableowner FROM pg_tables WHERE schemaname = 'audit' "
                     + "AND tablename = 'audit_entry') FROM pg_roles r WHERE r.rolname = session_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("session_user (the login)").isEqualTo(LOGIN);
            assertThat(rs.getString(2)).as("current_user").isEqualTo(LOGIN);
            assertThat(rs.getBoolean(3)).as("superuser").isFalse();
            assertThat(rs.getBoolean(4)).as("createrole").isFalse();
            assertThat(rs.getBoolean(5)).as("bypassrls").isFalse();
            assertThat(rs.getString(6)).as("the log's owner").isNotEqualTo(LOGIN);
        }
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            // The login has a password (R__audit_app_password.sql, from rollwatch.audit.db.app-password) ...
            try (ResultSet rs = s.executeQuery("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = '"
                    + LOGIN + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("the login has a password").isTrue();
            }
            // ... and the migrations ran as the owner, not as the login.
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT installed_by FROM audit.flyway_schema_history "
                    + "WHERE script LIKE '%V7__runtime_login.sql' OR script LIKE '%R__audit_app_password.sql'")) {
                List<String> installers = new ArrayList<>();
                while (rs.next()) {
                    installers.add(rs.getString(1));
                }
                assertThat(installers).hasSize(1).doesNotContain(LOGIN);
            }
        }
    }

    @Test
    void fromTheServicesConnectionsNothingChangesTheLogNotEvenByDisablingTheTriggers() throws SQLException {
        long position = appendOne();
        try (Connection c = serviceDataSource.getConnection(); Statement s = c.createStatement()) {
            for (String change : attacks(position)) {
                assertThatThrownBy(() -> s.execute(change)).as(change).isInstanceOfSatisfying(SQLException.class,
                        e -> {
                            assertThat(e.getSQLState()).as(change + ": " + e.getMessage())
                                    .isEqualTo(INSUFFICIENT_PRIVILEGE);
                            // refused by the privileges, before any trigger could be asked
                            assertThat(e.getMessage()).as(change).doesNotContain("append-only");
                        });
            }
            // Every refusal left the connection as it was: the login, triggers and replication role untouched.
            try (ResultSet rs = s.executeQuery("SELECT current_user, current_setting('session_replication_role')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(LOGIN);
                assertThat(rs.getString(2)).isEqualTo("origin");
            }
        }
        try (Connection c = superuser(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = "
                     + "'audit.audit_entry'::regclass AND NOT tgisinternal ORDER BY tgname")) {
            int triggers = 0;
            while (rs.next()) {
                triggers++;
                assertThat(rs.getString(2)).as(rs.getString(1) + " still enabled").isEqualTo("O");
            }
            assertThat(triggers).isEqualTo(2);
        }
        // What the service is for still works: the entry is there, unchanged, and verifies.
        given().when().get("/api/v1/audit/verify?from=" + position + "&to=" + position)
                .then().statusCode(200).body("valid", equalTo(true));
        assertThat(appendOne()).isGreaterThan(position);
    }

    @Test
    void updateDeleteAndTruncateFailForTheLoginEvenWithTheTriggersDisabled() throws SQLException {
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

            s.execute("SET ROLE " + LOGIN);
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

    /** What an attacker on the service's connection would try, beyond plain DML. */
    private static List<String> attacks(long position) {
        List<String> attacks = new ArrayList<>(changes(position));
        attacks.addAll(List.of(
                "ALTER TABLE audit.audit_entry DISABLE TRIGGER audit_entry_no_update_delete",
                "ALTER TABLE audit.audit_entry DISABLE TRIGGER ALL",
                "ALTER TABLE audit.audit_checkpoint DISABLE TRIGGER USER",
                "DROP TRIGGER audit_entry_no_truncate ON audit.audit_entry",
                "RESET ROLE; UPDATE audit.audit_entry SET subject = 'moved' WHERE position = " + position,
                "RESET ROLE; DELETE FROM audit.audit_entry WHERE position = " + position,
                "SET session_replication_role = replica",
                "SET ROLE postgres",
                "ALTER ROLE rollwatch_audit_app SUPERUSER",
                "ALTER TABLE audit.audit_entry OWNER TO rollwatch_audit_app"));
        return attacks;
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
