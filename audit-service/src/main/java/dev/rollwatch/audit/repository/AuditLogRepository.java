package dev.rollwatch.audit.repository;

import dev.rollwatch.audit.domain.Checkpoint;
import dev.rollwatch.audit.domain.StoredEntry;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The audit log's storage. Plain JDBC rather than a Panache entity on purpose: the log needs exact bytes, a row
 * lock on the head, server-side cursors for constant-memory export and verification, and no ORM that could ever
 * issue an UPDATE. Connections come from the managed datasource, so they join the caller's JTA transaction.
 */
@ApplicationScoped
public class AuditLogRepository {

    static final String COLUMNS = "position, source, event_id, event_type, subject, event_time, causation_id, "
            + "correlation_id, topic, kafka_partition, kafka_offset, payload, prev_hash, entry_hash, recorded_at, "
            + "hash_version";
    private static final String COPY_IN = "COPY audit_entry (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

    private final AgroalDataSource dataSource;

    public AuditLogRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The chain head, locked until the caller's transaction ends: appends are serialized here. */
    public record Head(long position, byte[] hash) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Head lockHead() {
        return query("SELECT position, head_hash FROM audit_head WHERE id = 1 FOR UPDATE", List.of(),
                rs -> new Head(rs.getLong(1), rs.getBytes(2))).get(0);
    }

    public Head head() {
        return query("SELECT position, head_hash FROM audit_head WHERE id = 1", List.of(),
                rs -> new Head(rs.getLong(1), rs.getBytes(2))).get(0);
    }

    /** Which of these (topic, source, id) triples are already in the log, as {@code topic\nsource\nid}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> existing(List<String> topics, List<String> sources, List<String> eventIds) {
        if (sources.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(query("SELECT e.topic, e.source, e.event_id FROM audit_entry e "
                + "JOIN unnest(?, ?, ?) AS k(topic, source, event_id) ON e.topic = k.topic AND e.source = k.source "
                + "AND e.event_id = k.event_id",
                List.of(topics.toArray(String[]::new), sources.toArray(String[]::new),
                        eventIds.toArray(String[]::new)),
                rs -> rs.getString(1) + '\n' + rs.getString(2) + '\n' + rs.getString(3)));
    }

    /**
     * Insert entries and move the head to the last one, in the caller's transaction (which holds the head lock). The
     * rows go as one binary {@code COPY} stream ({@link BinaryCopy}); the server checks them as it would an
     * {@code INSERT}, and a refused row fails the whole statement, so the transaction appends all or nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(List<StoredEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement head = c.prepareStatement(
                        "UPDATE audit_head SET position = ?, head_hash = ? WHERE id = 1")) {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_IN);
            try {
                BinaryCopy rows = new BinaryCopy(copy::writeToCopy);
                for (StoredEntry e : entries) {
                    rows.row(e);
                }
                rows.finish();
                copy.endCopy();
            } catch (SQLException | RuntimeException failed) {
                if (copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (SQLException cancel) {
                        failed.addSuppressed(cancel);
                    }
                }
                throw failed;
            }
            StoredEntry last = entries.get(entries.size() - 1);
            head.setLong(1, last.position());
            head.setBytes(2, last.entryHash());
            head.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append to the audit log", e);
        }
    }

    /** A page of entries matching {@code filter} after {@code filter.after()}, in position order. */
    public List<StoredEntry> find(EntryFilter filter, int limit) {
        EntryFilter.Sql sql = filter.toSql();
        List<Object> params = new ArrayList<>(sql.params());
        params.add(limit);
        return query("SELECT " + COLUMNS + " FROM audit_entry WHERE " + sql.where()
                + " ORDER BY position LIMIT ?", params, AuditLogRepository::entry);
    }

    /** How many entries match {@code filter} up to {@code toPosition} (inclusive). */
    public long count(EntryFilter filter, long toPosition) {
        EntryFilter.Sql sql = filter.toSql();
        List<Object> params = new ArrayList<>(sql.params());
        params.add(toPosition);
        return query("SELECT count(*) FROM audit_entry WHERE " + sql.where() + " AND position <= ?", params,
                rs -> rs.getLong(1)).get(0);
    }

    /** Entries after {@code position} other than events of {@code type} from {@code source}. */
    public long countAfterExcept(long position, String source, String type) {
        return query("SELECT count(*) FROM audit_entry WHERE position > ? AND NOT (source = ? AND event_type = ?)",
                List.of(position, source, type), rs -> rs.getLong(1)).get(0);
    }

    /** Entries of one subject (deployment) in position order, of the services in {@code scope} ({@code null}: all). */
    public List<StoredEntry> bySubject(String subject, Set<String> scope) {
        List<Object> params = new ArrayList<>(List.of(subject));
        return query("SELECT " + COLUMNS + " FROM audit_entry WHERE subject = ?" + scoped(scope, params)
                + " ORDER BY position", params, AuditLogRepository::entry);
    }

    /** Entries with these event ids (anywhere in the log), e.g. breaches named by a rollback request. */
    public List<StoredEntry> byEventIds(List<String> eventIds, Set<String> scope) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.<Object>of((Object) eventIds.toArray(String[]::new)));
        return query("SELECT " + COLUMNS + " FROM audit_entry WHERE event_id = ANY (?)" + scoped(scope, params)
                + " ORDER BY position", params, AuditLogRepository::entry);
    }

    /** The entry at {@code position}, if any and of the services in {@code scope} ({@code null}: all). */
    public Optional<StoredEntry> at(long position, Set<String> scope) {
        List<Object> params = new ArrayList<>(List.of(position));
        return query("SELECT " + COLUMNS + " FROM audit_entry WHERE position = ?" + scoped(scope, params), params,
                AuditLogRepository::entry).stream().findFirst();
    }

    public Optional<StoredEntry> at(long position) {
        return at(position, null);
    }

    private static String scoped(Set<String> scope, List<Object> params) {
        if (scope == null) {
            return "";
        }
        String[] services = scope.toArray(String[]::new);
        params.add(services);
        params.add(services);
        return " AND " + EntryFilter.SERVICE_VISIBLE;
    }

    /**
     * Every entry matching {@code filter} in position order through a server-side cursor ({@code fetchSize} rows
     * per round trip), handed one at a time to {@code sink}: memory stays constant however long the log is.
     * Returns the number of entries seen.
     */
    public long scan(EntryFilter filter, Long toPosition, int fetchSize, Consumer<StoredEntry> sink) {
        try {
            return scanRows(filter, toPosition, fetchSize, rs -> sink.accept(entry(rs)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink above throws none
        }
    }

    /** One row of a cursor, its columns in {@link #COLUMNS} order ({@link #entry} reads it whole). */
    public interface RowSink {
        void accept(ResultSet row) throws SQLException, IOException;
    }

    /**
     * As {@link #scan}, but each row is handed over as the cursor's current row, so an export can write the columns
     * where they go without building an entry per row. An {@link IOException} of the sink (the client went away)
     * ends the scan and is thrown as is.
     */
    public long scanRows(EntryFilter filter, Long toPosition, int fetchSize, RowSink sink) throws IOException {
        EntryFilter.Sql sql = filter.toSql();
        List<Object> params = new ArrayList<>(sql.params());
        String where = sql.where();
        if (toPosition != null) {
            where += " AND position <= ?";
            params.add(toPosition);
        }
        long seen = 0;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_entry WHERE " + where
                    + " ORDER BY position")) {
                ps.setFetchSize(fetchSize);
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs);
                        seen++;
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log", e);
        }
        return seen;
    }

    /**
     * What verification reads, all from one consistent snapshot (REPEATABLE READ, read-only): appends and
     * checkpoints that commit meanwhile are not seen, so the head, the entries and the checkpoints always agree
     * unless someone changed the tables. Entries and checkpoints come through cursors ({@code fetchSize} rows per
     * round trip): memory stays constant however long the log is.
     */
    public interface Snapshot {

        /** The head row, read first. */
        Head head();

        /** Every entry from {@code fromPosition} on, in position order, until {@code sink} returns false. */
        void entries(long fromPosition, Predicate<StoredEntry> sink);

        /** The stored checkpoints from {@code fromPosition} on, to be walked forward beside the entries. */
        CheckpointCursor checkpoints(long fromPosition);

        /** The stored checkpoint at exactly {@code position}. */
        Optional<Checkpoint> checkpointAt(long position);

        /** The first stored checkpoint after {@code position}. */
        Optional<Checkpoint> firstCheckpointAfter(long position);
    }

    /** Stored checkpoints in position order, read forward only (a merge join with the entries). */
    public interface CheckpointCursor {

        /** The checkpoint at {@code position}, if stored; positions must be asked in increasing order. */
        Optional<Checkpoint> at(long position);
    }

    /** Runs {@code work} on one read-only REPEATABLE READ snapshot of the log (see {@link Snapshot}). */
    public <T> T inSnapshot(int fetchSize, Function<Snapshot, T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            JdbcSnapshot snapshot = null;
            try {
                snapshot = new JdbcSnapshot(c, fetchSize);
                T result = work.apply(snapshot);
                snapshot.close();
                c.commit();
                return result;
            } finally {
                if (snapshot != null) {
                    snapshot.close(); // closing twice is harmless
                }
                c.rollback();
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log", e);
        }
    }

    /** Several cursors open at once on one connection and one transaction: PostgreSQL portals. */
    private static final class JdbcSnapshot implements Snapshot {
        private final Connection c;
        private final int fetchSize;
        private final Head head;
        private final List<AutoCloseable> open = new ArrayList<>();

        JdbcSnapshot(Connection c, int fetchSize) throws SQLException {
            this.c = c;
            this.fetchSize = fetchSize;
            try (PreparedStatement ps = c.prepareStatement("SELECT position, head_hash FROM audit_head WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) { // the first statement: it fixes the snapshot
                rs.next();
                this.head = new Head(rs.getLong(1), rs.getBytes(2));
            }
        }

        @Override
        public Head head() {
            return head;
        }

        @Override
        public void entries(long fromPosition, Predicate<StoredEntry> sink) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM audit_entry WHERE position >= ? ORDER BY position")) {
                ps.setFetchSize(fetchSize);
                ps.setLong(1, fromPosition);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && sink.test(entry(rs))) {
                        // the sink decides when to stop
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the audit log", e);
            }
        }

        @Override
        public CheckpointCursor checkpoints(long fromPosition) {
            try {
                PreparedStatement ps = c.prepareStatement(CHECKPOINT_SELECT + " WHERE position >= ? ORDER BY position");
                open.add(ps);
                ps.setFetchSize(fetchSize);
                ps.setLong(1, fromPosition);
                ResultSet rs = ps.executeQuery();
                open.add(rs);
                return new CheckpointCursor() {
                    private Checkpoint current;
                    private boolean exhausted;

                    @Override
                    public Optional<Checkpoint> at(long position) {
                        try {
                            while (!exhausted && (current == null || current.position() < position)) {
                                if (rs.next()) {
                                    current = checkpoint(rs);
                                } else {
                                    exhausted = true;
                                    current = null;
                                }
                            }
                        } catch (SQLException e) {
                            throw new IllegalStateException("cannot read the audit checkpoints", e);
                        }
                        return current != null && current.position() == position ? Optional.of(current)
                                : Optional.empty();
                    }
                };
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the audit checkpoints", e);
            }
        }

        @Override
        public Optional<Checkpoint> checkpointAt(long position) {
            return one(CHECKPOINT_SELECT + " WHERE position = ?", position);
        }

        @Override
        public Optional<Checkpoint> firstCheckpointAfter(long position) {
            return one(CHECKPOINT_SELECT + " WHERE position > ? ORDER BY position LIMIT 1", position);
        }

        private Optional<Checkpoint> one(String sql, long position) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, position);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the audit checkpoints", e);
            }
        }

        void close() {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception ignored) {
                    // the transaction is rolled back next anyway
                }
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void insertCheckpoint(Checkpoint cp) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_checkpoint (position, head_hash, key_id, signature, signed_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, cp.position());
            ps.setBytes(2, cp.headHash());
            ps.setString(3, cp.keyId());
            ps.setBytes(4, cp.signature());
            ps.setTimestamp(5, Timestamp.from(cp.signedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write a checkpoint", e);
        }
    }

    public Optional<Checkpoint> lastCheckpoint() {
        return query(CHECKPOINT_SELECT + " ORDER BY position DESC LIMIT 1", List.of(), AuditLogRepository::checkpoint)
                .stream().findFirst();
    }

    /** Checkpoints in position order, {@code position > after}, at most {@code limit}. */
    public List<Checkpoint> checkpoints(long after, int limit) {
        return query(CHECKPOINT_SELECT + " WHERE position > ? ORDER BY position LIMIT ?", List.of(after, limit),
                AuditLogRepository::checkpoint);
    }

    private static final String CHECKPOINT_SELECT =
            "SELECT position, head_hash, key_id, signature, signed_at FROM audit_checkpoint";

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getString(3),
                rs.getBytes(4), rs.getTimestamp(5).toInstant());
    }

    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log", e);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Instant instant) {
                ps.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (p instanceof String[] array) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("varchar", array));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /** The entry at the cursor's current row ({@link #COLUMNS} order). */
    public static StoredEntry entry(ResultSet rs) throws SQLException {
        Timestamp eventTime = rs.getTimestamp(6);
        return new StoredEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                eventTime == null ? null : eventTime.toInstant(), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getInt(10), rs.getLong(11), rs.getBytes(12), rs.getBytes(13), rs.getBytes(14),
                rs.getTimestamp(15).toInstant(), rs.getInt(16));
    }
}
