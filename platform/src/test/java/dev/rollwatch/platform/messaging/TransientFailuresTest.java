package dev.rollwatch.platform.messaging;

import dev.rollwatch.platform.messaging.TransientFailures.Kind;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** What a consumer retries (the database going away, a lost race) and what goes to the DLQ (everything else). */
class TransientFailuresTest {

    @Test
    void theDatabaseGoingAwayIsUnavailableHoweverDeepItIsWrapped() {
        PSQLException refused = new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        assertThat(TransientFailures.classify(refused)).isEqualTo(Kind.UNAVAILABLE);
        SQLException ioError = new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE);
        assertThat(TransientFailures.classify(new RuntimeException("commit failed",
                new JDBCConnectionException("JDBC exception executing SQL", ioError)))).isEqualTo(Kind.UNAVAILABLE);
        assertThat(TransientFailures.classify(new SQLException("terminating connection due to administrator command",
                "57P01"))).isEqualTo(Kind.UNAVAILABLE);
        assertThat(TransientFailures.classify(new SQLException("the database system is starting up", "57P03")))
                .isEqualTo(Kind.UNAVAILABLE);
        assertThat(TransientFailures.classify(new SQLException("too many connections", "53300")))
                .isEqualTo(Kind.UNAVAILABLE);
        assertThat(TransientFailures.classify(new SQLTransientConnectionException("pool")))
                .isEqualTo(Kind.UNAVAILABLE);
        assertThat(TransientFailures.classify(new PersistenceException(new SQLException(
                "Acquisition timeout while waiting for new connection")))).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void aCommitCutByARestartIsUnavailableThoughTheDatabaseErrorIsOnlySuppressed() {
        // the shape Narayana throws when PostgreSQL is restarted during the commit (seen in PostgresRestartIT):
        // ArcUndeclaredThrowableException -> RollbackException, whose only link to the database error is a
        // suppressed XAException caused by the PSQLException
        RuntimeException commitFailed = new RuntimeException("Error invoking subclass method",
                new Exception("ARJUNA016053: Could not commit transaction."));
        Exception xa = new Exception("Error trying to transactionCommit local transaction",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        commitFailed.getCause().addSuppressed(xa);
        assertThat(TransientFailures.classify(commitFailed)).isEqualTo(Kind.UNAVAILABLE);

        Exception constraintAtCommit = new Exception("ARJUNA016053: Could not commit transaction.");
        constraintAtCommit.addSuppressed(new Exception("commit",
                new SQLException("duplicate key value violates unique constraint", "23505")));
        assertThat(TransientFailures.classify(constraintAtCommit)).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void aLostRaceIsAConflict() {
        assertThat(TransientFailures.classify(new SQLException("could not serialize access", "40001")))
                .isEqualTo(Kind.CONFLICT);
        assertThat(TransientFailures.classify(new SQLException("deadlock detected", "40P01")))
                .isEqualTo(Kind.CONFLICT);
        assertThat(TransientFailures.classify(new RuntimeException(new OptimisticLockException("row changed"))))
                .isEqualTo(Kind.CONFLICT);
    }

    @Test
    void badDataAndBugsArePermanent() {
        assertThat(TransientFailures.classify(new IllegalArgumentException("not a CloudEvent")))
                .isEqualTo(Kind.PERMANENT);
        assertThat(TransientFailures.classify(new SQLException("duplicate key value violates unique constraint",
                "23505"))).isEqualTo(Kind.PERMANENT);
        assertThat(TransientFailures.classify(new SQLException("value too long for type character varying(64)",
                "22001"))).isEqualTo(Kind.PERMANENT);
        assertThat(TransientFailures.classify(new NullPointerException())).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        a.addSuppressed(b);
        assertThat(TransientFailures.classify(a)).isEqualTo(Kind.PERMANENT);
    }
}
