package dev.rollwatch.systemtests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The concurrent flow while each service in turn is killed with SIGKILL mid-flow and started again: nothing
 * acknowledged is lost, no deployment is rolled back twice, no event is notified twice on a channel.
 */
class ServiceCrashIT {

    private static final List<String> VICTIMS = List.of("deploy-service", "monitor-service", "rollback-service",
            "notifier-service", "audit-service");
    private static Stack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
    }

    @Test
    void eachServiceKilledMidFlowLosesNothingAndDuplicatesNothing() throws Exception {
        // The analysis step is long enough that a monitor killed during it still measures after its restart.
        Ledger ledger = new Ledger(stack, 45);
        int n = 0;
        for (String victim : VICTIMS) {
            List<Ledger.Deployment> wave = new ArrayList<>();
            for (int i = 0; i < 3; i++, n++) {
                wave.add(ledger.submit("crash", n, i == 2));
            }
            ledger.awaitMidFlow(wave, Duration.ofMinutes(2));
            long killed = System.nanoTime();
            stack.crashAndRestart(victim);
            System.out.printf("[system-tests] %s SIGKILLed with %d deployments in flight, ready again in %d ms%n",
                    victim, wave.size(), (System.nanoTime() - killed) / 1_000_000);
        }

        ledger.drain(Duration.ofMinutes(4));
        ledger.assertTargetCalls();
        ledger.assertOneRollbackRequestedEach();
        ledger.assertAuditHoldsEveryEventOnce(Duration.ofMinutes(2));
        ledger.assertAuditVerifies();
        ledger.assertOneDeliveryPerEventAndChannel(Duration.ofMinutes(1));
    }
}
