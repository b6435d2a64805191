package dev.rollwatch.rollback.service;

import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.DecisionAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Meters of the decisions: how many of each, and how long after the breach was observed they were taken. */
@ApplicationScoped
public class DecisionMetrics {

    private final MeterRegistry registry;
    private final Timer breachToDecision;
    private final Timer consumedToCommitted;
    private final TransactionSynchronizationRegistry transactions;

    public DecisionMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
        this.consumedToCommitted = Timer.builder("rollwatch.rollback.breach.commit.latency")
                .description("breach consumed from Kafka to its RollbackRequested committed (decision row + outbox)")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.breachToDecision = Timer.builder("rollwatch.rollback.decision.latency")
                .description("breach observed to rollback decision taken").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    public void decided(Decision d) {
        Counter.builder("rollwatch.rollback.decisions").description("decisions taken, by action and rule")
                .tag("action", d.action.name()).tag("rule", d.rule).register(registry).increment();
        if (d.observedAt != null && d.followsUp == null) {
            // A persistence follow-up is decided a window after the breach by design: not decision latency.
            breachToDecision.record(Duration.between(d.observedAt, d.decidedAt).abs());
        }
    }

    /**
     * For a ROLLBACK decided from a breach consumed at {@code consumedNanos} ({@link System#nanoTime()}): records,
     * once the transaction has committed, how long consumption → committed RollbackRequested took. Nothing is
     * recorded for other decisions or a transaction that rolls back.
     */
    public void whenCommitted(Decision d, long consumedNanos) {
        if (d.action != DecisionAction.ROLLBACK) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing to do before the commit
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    consumedToCommitted.record(System.nanoTime() - consumedNanos, TimeUnit.NANOSECONDS);
                }
            }
        });
    }

    public void escalated(Decision d) {
        Counter.builder("rollwatch.rollback.escalations").description("rollbacks escalated, by rule")
                .tag("rule", d.rule).register(registry).increment();
    }
}
