package dev.rollwatch.monitor.repository;

import dev.rollwatch.monitor.domain.SeriesPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks' series ({@code check_point}), written and read with plain JDBC on the transaction's connection: the
 * points of a sample batch go in as one JDBC batch (one round trip), which an entity with generated ids would not.
 */
@ApplicationScoped
public class SeriesRepository {

    private static final String INSERT = "INSERT INTO check_point (check_id, seq, observed_at, value) "
            + "VALUES (?, ?, ?, ?)";
    private static final String PRUNE = "DELETE FROM check_point WHERE check_id = ? AND seq <= ?";
    private static final String NEWEST = "SELECT p.check_id, p.seq, p.observed_at, p.value FROM check_point p "
            + "JOIN check_state c ON c.id = p.check_id WHERE c.deployment_id = ? AND p.seq > c.series_seq - ? "
            + "ORDER BY p.check_id, p.observed_at, p.seq";

    private final EntityManager em;

    public SeriesRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Appends the points in the caller's transaction; a point whose {@code seq} is a multiple of
     * {@code pruneEvery} also deletes its check's points older than the newest {@code keep}.
     */
    public void append(List<SeriesPoint> points, int keep, int pruneEvery) {
        if (points.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            List<SeriesPoint> prunes = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (SeriesPoint p : points) {
                    insert.setLong(1, p.checkId());
                    insert.setLong(2, p.seq());
                    insert.setObject(3, OffsetDateTime.ofInstant(p.observedAt(), ZoneOffset.UTC));
                    if (p.value() == null) {
                        insert.setNull(4, Types.DOUBLE);
                    } else {
                        insert.setDouble(4, p.value());
                    }
                    insert.addBatch();
                    if (p.seq() % pruneEvery == 0 && p.seq() > keep) {
                        prunes.add(p);
                    }
                }
                insert.executeBatch();
            }
            if (!prunes.isEmpty()) {
                try (PreparedStatement prune = connection.prepareStatement(PRUNE)) {
                    for (SeriesPoint p : prunes) {
                        prune.setLong(1, p.checkId());
                        prune.setLong(2, p.seq() - keep);
                        prune.addBatch();
                    }
                    prune.executeBatch();
                }
            }
        });
    }

    /** The newest {@code limit} points of each check of a deployment, each check's oldest first (by time). */
    public List<SeriesPoint> newest(String deploymentId, int limit) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            List<SeriesPoint> out = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(NEWEST)) {
                select.setString(1, deploymentId);
                select.setLong(2, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SeriesPoint(rs.getLong(1), rs.getLong(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant(), value(rs)));
                    }
                }
            }
            return out;
        });
    }

    private static Double value(ResultSet rs) throws SQLException {
        double v = rs.getDouble(4);
        return rs.wasNull() ? null : v;
    }
}
