package dev.rollwatch.platform.it;

import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The inbox as a consumer uses it: the claim in the consumer's transaction decides whether the effect runs, once per
 * consumer and event, against the real PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class InboxIT {

    private static final String SOURCE = "/rollwatch/platform-it";
    private static ExecutorService threads;

    @Inject
    Inbox inbox;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void start() {
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
    }

    private boolean claim(String consumer, String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> inbox.claim(consumer, SOURCE, eventId, "test.event"));
    }

    /** The inbox rows of {@code eventId}: consumer, type and when, in consumer order. */
    private List<String> rows(String eventId) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT consumer, event_type, processed_at FROM processed_event WHERE event_id = ? ORDER BY consumer")) {
            s.setString(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getTimestamp(3).toInstant());
                }
            }
        }
        return rows;
    }

    @Test
    void theFirstClaimWinsAndARedeliveryChangesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(claim("consumer-a", id)).as("first delivery").isTrue();
        List<String> after = rows(id);
        assertThat(after).hasSize(1);

        assertThat(claim("consumer-a", id)).as("redelivery to the same consumer").isFalse();
        // Even a redelivery that names another type does not touch the claim.
        assertThat(QuarkusTransaction.requiringNew().call(() -> inbox.claim("consumer-a", SOURCE, id, "other.type")))
                .isFalse();
        assertThat(rows(id)).isEqualTo(after);
    }

    @Test
    void eachConsumerClaimsTheSameEventOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(claim("consumer-a", id)).isTrue();
        assertThat(claim("consumer-b", id)).as("another consumer of the same event").isTrue();
        assertThat(claim("consumer-b", id)).isFalse();
        assertThat(rows(id)).hasSize(2);
        // The same id from another source is another event.
        assertThat(QuarkusTransaction.requiringNew().call(() -> inbox.claim("consumer-a", "/other", id, "t")))
                .isTrue();
    }

    @Test
    void aClaimWhoseTransactionRollsBackDoesNotStickAndTheEventIsHandledAgain() throws Exception {
        String id = UUID.randomUUID().toString();
        AtomicInteger effects = new AtomicInteger();
        Runnable consumer = () -> {
            if (inbox.claim("consumer-a", SOURCE, id, "test.event")) {
                effects.incrementAndGet();
                throw new IllegalStateException("the effect failed after the claim");
            }
        };
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(consumer))
                .isInstanceOf(IllegalStateException.class).hasMessage("the effect failed after the claim");
        assertThat(rows(id)).as("claim of the rolled-back delivery").isEmpty();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(consumer));
        assertThat(effects).as("the redelivery is handled again").hasValue(2);
        assertThat(claim("consumer-a", id)).isTrue();
    }

    @Test
    void aClaimOutsideATransactionIsRefused() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> inbox.claim("consumer-a", SOURCE, id, "test.event"))
                .isInstanceOf(TransactionalException.class);
        assertThat(rows(id)).isEmpty();
    }

    @Test
    void manyThreadsClaimingOneEventAtOnceExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = UUID.randomUUID().toString();
            int n = 8;
            CyclicBarrier together = new CyclicBarrier(n);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                claims.add(threads.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return inbox.claim("consumer-a", SOURCE, id, "test.event");
                })));
            }
            int won = 0;
            for (Future<Boolean> f : claims) {
                won += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).as("claims that won, round " + round).isEqualTo(1);
            assertThat(rows(id)).hasSize(1);
        }
    }

    @Test
    void aClaimWaitingOnAnUncommittedOneLosesIfItCommitsAndWinsIfItRollsBack() throws Exception {
        for (boolean firstCommits : new boolean[] {true, false}) {
            String id = UUID.randomUUID().toString();
            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            Future<Boolean> first = threads.submit(() -> {
                try {
                    return QuarkusTransaction.requiringNew().call(() -> {
                        boolean won = inbox.claim("consumer-a", SOURCE, id, "test.event");
                        claimed.countDown();
                        assertThat(finish.await(60, TimeUnit.SECONDS)).isTrue();
                        if (!firstCommits) {
                            throw new IllegalStateException("the first delivery's effect failed");
                        }
                        return won;
                    });
                } catch (IllegalStateException rolledBack) {
                    return false;
                }
            });
            assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> second = threads.submit(() -> claim("consumer-a", id));
            // The second claim is running and blocked on the first one's uncommitted row.
            await().atMost(Duration.ofSeconds(30)).until(() -> claimsWaitingOnALock() >= 1);
            assertThat(second.isDone()).isFalse();
            finish.countDown();

            assertThat(second.get(60, TimeUnit.SECONDS)).as("second claim when the first "
                    + (firstCommits ? "commits" : "rolls back")).isEqualTo(!firstCommits);
            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(firstCommits);
            assertThat(rows(id)).hasSize(1);
        }
    }

    private long claimsWaitingOnALock() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE '%INSERT INTO processed_event%'");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
