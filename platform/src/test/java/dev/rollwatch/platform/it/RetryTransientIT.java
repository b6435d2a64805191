package dev.rollwatch.platform.it;

import dev.rollwatch.platform.messaging.TransientFailures;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @RetryTransient} on a consumer-shaped bean method ({@link RetriedWork}, annotated as every {@code @Incoming}
 * method is): what TransientFailures calls transient is retried, each attempt in a new transaction, and the rest goes
 * straight to the channel's failure strategy.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RetryTransientIT {

    /** RetryTransientInterceptor.CONFLICT_ATTEMPTS: how often a losing concurrent transaction is tried in all. */
    private static final int CONFLICT_ATTEMPTS = 10;

    @Inject
    RetriedWork work;

    private static Supplier<RuntimeException> databaseRestarting() {
        return () -> new JDBCConnectionException("could not execute statement",
                new SQLException("FATAL: the database system is shutting down", "57P03"));
    }

    private static Supplier<RuntimeException> serializationConflict() {
        return () -> new PersistenceException("could not execute statement",
                new SQLException("ERROR: could not serialize access due to concurrent update", "40001"));
    }

    @Test
    void theFailuresAreClassifiedAsTheTestMeansThem() {
        assertThat(TransientFailures.classify(databaseRestarting().get())).isEqualTo(TransientFailures.Kind.UNAVAILABLE);
        assertThat(TransientFailures.classify(serializationConflict().get())).isEqualTo(TransientFailures.Kind.CONFLICT);
        assertThat(TransientFailures.classify(new IllegalArgumentException("bad data")))
                .isEqualTo(TransientFailures.Kind.PERMANENT);
    }

    @Test
    void theDatabaseUnavailableIsRetriedUntilItIsBackEachAttemptANewTransaction() {
        String id = UUID.randomUUID().toString();
        boolean firstClaim = work.handle(id, 4, databaseRestarting());
        assertThat(work.attempts(id)).isEqualTo(5);
        // Each failed attempt's inbox claim was rolled back with it: the attempt that succeeded claimed the event.
        assertThat(firstClaim).as("the successful attempt's claim was the first that stuck").isTrue();
        assertThat(work.handle(id, 0, databaseRestarting())).as("a redelivery after the success").isFalse();
    }

    @Test
    void aConflictIsRetriedUpToItsLimitAndThenSurfaces() {
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> work.handle(id, Integer.MAX_VALUE, serializationConflict()))
                .isInstanceOf(PersistenceException.class).cause().isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("40001");
        assertThat(work.attempts(id)).isEqualTo(CONFLICT_ATTEMPTS);

        String next = UUID.randomUUID().toString();
        assertThat(work.handle(next, CONFLICT_ATTEMPTS - 1, serializationConflict()))
                .as("a conflict that clears on the last attempt").isTrue();
        assertThat(work.attempts(next)).isEqualTo(CONFLICT_ATTEMPTS);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> work.handle(id, 1, () -> new IllegalArgumentException("poison: bad data")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("poison: bad data");
        assertThat(work.attempts(id)).isEqualTo(1);
        // And nothing of it stuck: the record's next delivery claims it again.
        assertThat(work.handle(id, 0, null)).isTrue();
    }
}
