package dev.rollwatch.systemtests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50 deployments at once, on 50 services of the real demo-target, a third of them of a bad version that the
 * monitor catches from demo-target's metrics: every one ends right, every bad one is rolled back exactly once,
 * the audit log holds every event exactly once and verifies.
 */
class ConcurrentDeploymentsIT {

    private static Stack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
    }

    @Test
    void fiftyConcurrentDeploymentsEndRightAndAreAuditedExactlyOnce() throws Exception {
        Ledger ledger = new Ledger(stack, 40);
        long started = System.nanoTime();
        List<Ledger.Deployment> deployments = ledger.submitConcurrently("conc", 50, 3, 10);
        assertThat(deployments).hasSize(50);
        assertThat(deployments).filteredOn(d -> d.expected() == Ledger.Expect.ROLLED_BACK).hasSize(16);

        ledger.drain(Duration.ofMinutes(4));
        System.out.printf("[system-tests] 50 concurrent deployments (16 bad) terminal in %d ms; RSS (kB) %s%n",
                (System.nanoTime() - started) / 1_000_000, stack.rssKb());

        ledger.assertTargetCalls();
        ledger.assertOneRollbackRequestedEach();
        ledger.assertAuditHoldsEveryEventOnce(Duration.ofMinutes(2));
        ledger.assertAuditVerifies();
        ledger.assertOneDeliveryPerEventAndChannel(Duration.ofMinutes(1));
    }
}
