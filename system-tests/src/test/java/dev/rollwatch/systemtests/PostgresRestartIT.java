package dev.rollwatch.systemtests;

import dev.rollwatch.testsupport.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarted (fast shutdown: every connection cut) mid-flow: the services recover by themselves —
 * nobody restarts them — report UP again, and every flow completes.
 */
class PostgresRestartIT {

    private static Stack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
    }

    @Test
    void servicesRecoverByThemselvesAndFlowsComplete() throws Exception {
        Ledger ledger = new Ledger(stack, 40);
        List<Ledger.Deployment> inFlight = ledger.submitConcurrently("pg", 9, 3, 3);
        ledger.awaitMidFlow(inFlight, Duration.ofMinutes(2));
        List<Long> pids = Stack.SERVICES.stream().map(m -> stack.get(m).pid()).toList();

        long restarted = System.nanoTime();
        stack.postgres().restart();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String module : Stack.SERVICES) {
                Http.Reply health = Http.get(stack.url(module, "/q/health/ready"));
                assertThat(health.status()).as("%s ready: %s", module, health.body()).isEqualTo(200);
                assertThat(health.body().path("status").asText()).isEqualTo("UP");
            }
        });
        System.out.printf("[system-tests] PostgreSQL restarted; every service UP again %d ms later%n",
                (System.nanoTime() - restarted) / 1_000_000);
        assertThat(Stack.SERVICES.stream().map(m -> stack.get(m).pid()).toList())
                .as("no service was restarted").isEqualTo(pids);
        assertThat(Stack.SERVICES.stream().map(stack::get).allMatch(ServiceProcess::isAlive)).isTrue();

        ledger.submit("pg-after", 0, true);
        ledger.submit("pg-after", 1, false);
        ledger.drain(Duration.ofMinutes(4));
        ledger.assertTargetCalls();
        ledger.assertOneRollbackRequestedEach();
        ledger.assertAuditHoldsEveryEventOnce(Duration.ofMinutes(2));
        ledger.assertAuditVerifies();
    }
}
