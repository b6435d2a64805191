package dev.rollwatch.platform.messaging;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells a failure that will go away by itself from one that will not, by the exception's cause chain.
 *
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}: the database cannot be reached or is restarting — SQLSTATE class 08 (connection),
 *   57P (operator intervention: shutdown, crash recovery), 53 (insufficient resources), a closed connection, a pool
 *   that could not hand out a connection. Retried for as long as it lasts: nothing can be processed without the
 *   database, and giving up would move good records to the DLQ.</li>
 *   <li>{@link Kind#CONFLICT}: a concurrent transaction won — SQLSTATE 40001 (serialization), 40P01 (deadlock),
 *   55P03 (lock not available), an optimistic-lock failure. Retried a bounded number of times.</li>
 *   <li>{@link Kind#PERMANENT}: anything else (bad data, a bug): not retried; the channel's failure strategy applies.</li>
 * </ul>
 */
public final class TransientFailures {

    /** What kind of failure it is. */
    public enum Kind { UNAVAILABLE, CONFLICT, PERMANENT }

    private TransientFailures() {
    }

    /**
     * The kind of the first non-permanent failure found in the cause chain <em>and the suppressed exceptions</em>:
     * a commit that fails because the connection was cut is a {@code RollbackException} whose database error is a
     * suppressed {@code XAException}'s cause, not its own cause. Retrying such a commit is safe even when the server
     * did commit before the connection went: the retry's inbox claim finds the event already processed.
     */
    public static Kind classify(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            Kind kind = kindOf(t);
            if (kind != Kind.PERMANENT) {
                return kind;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return Kind.PERMANENT;
    }

    private static Kind kindOf(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
            return Kind.UNAVAILABLE;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null) {
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
                    return Kind.UNAVAILABLE;
                }
                if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
                    return Kind.CONFLICT;
                }
            }
            String message = String.valueOf(sql.getMessage());
            if (message.contains("This connection has been closed") || message.contains("Acquisition timeout")) {
                return Kind.UNAVAILABLE;
            }
        }
        String type = t.getClass().getName();
        return switch (type) {
            case "org.hibernate.exception.JDBCConnectionException" -> Kind.UNAVAILABLE;
            case "jakarta.persistence.OptimisticLockException", "org.hibernate.StaleObjectStateException",
                    "org.hibernate.StaleStateException", "jakarta.persistence.PessimisticLockException",
                    "jakarta.persistence.LockTimeoutException", "org.hibernate.exception.LockAcquisitionException",
                    "org.hibernate.PessimisticLockException", "org.hibernate.dialect.lock.OptimisticEntityLockException"
                    -> Kind.CONFLICT;
            default -> Kind.PERMANENT;
        };
    }
}
