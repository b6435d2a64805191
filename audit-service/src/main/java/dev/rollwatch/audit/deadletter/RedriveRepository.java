package dev.rollwatch.audit.deadletter;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The re-drives done ({@code dead_letter_redrive}, V8): INSERT and SELECT only. */
@ApplicationScoped
public class RedriveRepository {

    /** One re-drive: the DLQ record, where it went, who did it and its entry in the audit log. */
    public record Redrive(String dlqTopic, int dlqPartition, long dlqOffset, String originalTopic, String eventId,
            String eventType, String redrivenBy, Instant redrivenAt, int toPartition, long toOffset,
            long auditPosition) {
    }

    private static final String COLUMNS = "dlq_topic, dlq_partition, dlq_offset, original_topic, event_id, "
            + "event_type, redriven_by, redriven_at, to_partition, to_offset, audit_position";

    private final AgroalDataSource dataSource;

    public RedriveRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Serializes re-drives of one DLQ record until the caller's transaction ends (a transaction-scoped advisory
     * lock: the runtime role needs no UPDATE grant for it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String dlqTopic, int partition, long offset) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 17))")) {
            s.setString(1, "dead-letter-redrive\n" + dlqTopic + "\n" + partition + "\n" + offset);
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock the dead-letter record", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Redrive> find(String dlqTopic, int partition, long offset) {
        List<Redrive> found = query("SELECT " + COLUMNS + " FROM dead_letter_redrive WHERE dlq_topic = ? AND "
                + "dlq_partition = ? AND dlq_offset = ?", dlqTopic, partition, offset);
        return found.stream().findFirst();
    }

    /** The re-drives of these records of {@code dlqTopic}, by {@code partition/offset}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Redrive> of(String dlqTopic, List<Integer> partitions, List<Long> offsets) {
        Map<String, Redrive> found = new HashMap<>();
        if (partitions.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM dead_letter_redrive r "
                        + "JOIN unnest(?, ?) AS k(p, o) ON r.dlq_partition = k.p AND r.dlq_offset = k.o "
                        + "WHERE r.dlq_topic = ?")) {
            s.setArray(1, c.createArrayOf("integer", partitions.toArray()));
            s.setArray(2, c.createArrayOf("bigint", offsets.toArray()));
            s.setString(3, dlqTopic);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Redrive r = row(rs);
                    found.put(r.dlqPartition() + "/" + r.dlqOffset(), r);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the dead-letter re-drives", e);
        }
        return found;
    }

    /** How many records of each DLQ topic have been re-driven. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Long> counts() {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT dlq_topic, count(*) FROM dead_letter_redrive GROUP BY dlq_topic");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the dead-letter re-drives", e);
        }
        return counts;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void insert(Redrive r) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO dead_letter_redrive (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, r.dlqTopic());
            s.setInt(2, r.dlqPartition());
            s.setLong(3, r.dlqOffset());
            s.setString(4, r.originalTopic());
            s.setString(5, r.eventId());
            s.setString(6, r.eventType());
            s.setString(7, r.redrivenBy());
            s.setTimestamp(8, Timestamp.from(r.redrivenAt()));
            s.setInt(9, r.toPartition());
            s.setLong(10, r.toOffset());
            s.setLong(11, r.auditPosition());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the dead-letter re-drive", e);
        }
    }

    private List<Redrive> query(String sql, String topic, int partition, long offset) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, topic);
            s.setInt(2, partition);
            s.setLong(3, offset);
            try (ResultSet rs = s.executeQuery()) {
                List<Redrive> rows = new java.util.ArrayList<>();
                while (rs.next()) {
                    rows.add(row(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the dead-letter re-drives", e);
        }
    }

    private static Redrive row(ResultSet rs) throws SQLException {
        return new Redrive(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(), rs.getInt(9), rs.getLong(10),
                rs.getLong(11));
    }
}
