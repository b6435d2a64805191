package dev.rollwatch.deploy.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.warmup.Warmup;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RollbackWarmup}: it really runs the rollback path (inside its transaction the deployment is ROLLING_BACK,
 * its open step ABORTED, the StepCompleted in the outbox, the request claimed in the inbox), and once it is done no
 * deployment, step, outbox or inbox row, step counter or log line of it is left.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class RollbackWarmupIT {

    @Inject
    RollbackWarmup warmup;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    private long count(String sql, Object... parameters) {
        var query = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return ((Number) query.getSingleResult()).longValue();
    }

    /** What the rehearsal of {@code request} wrote, counted in the current transaction. */
    private Map<String, Object> written(Envelope<RollbackRequested> request) {
        UUID id = UUID.fromString(request.subject());
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("deployment", count("SELECT count(*) FROM deployment WHERE id = ?1", id));
        rows.put("rolling back", count("SELECT count(*) FROM deployment WHERE id = ?1 AND status = 'ROLLING_BACK'"
                + " AND rollback_request_id = ?2", id, request.id()));
        rows.put("steps", count("SELECT count(*) FROM deployment_step WHERE deployment_id = ?1", id));
        rows.put("aborted steps", count("SELECT count(*) FROM deployment_step WHERE deployment_id = ?1"
                + " AND status = 'ABORTED'", id));
        rows.put("outbox", count("SELECT count(*) FROM outbox_message WHERE message_key = ?1", id.toString()));
        rows.put("step-completed in the outbox", count("SELECT count(*) FROM outbox_message WHERE message_key = ?1"
                + " AND topic = ?2", id.toString(), Topics.STEP_COMPLETED));
        rows.put("inbox", count("SELECT count(*) FROM processed_event WHERE event_id = ?1", request.id()));
        return rows;
    }

    /** The rows of any rehearsal, found by its mark, counted in the current transaction. */
    private Map<String, Long> marked() {
        String mark = RollbackWarmup.MARK + "%";
        return Map.of(
                "deployments", count("SELECT count(*) FROM deployment WHERE service LIKE ?1", mark),
                "steps", count("SELECT count(*) FROM deployment_step s JOIN deployment d ON d.id = s.deployment_id"
                        + " WHERE d.service LIKE ?1", mark),
                "inbox claims", count("SELECT count(*) FROM processed_event WHERE event_id LIKE ?1", mark),
                "outbox rows", count("SELECT count(*) FROM outbox_message WHERE position(convert_to(?1, 'UTF8')"
                        + " IN payload) > 0", RollbackWarmup.MARK));
    }

    @Test
    void theRehearsalRunsTheRollbackPathAndNothingOfItStays() {
        Envelope<RollbackRequested> request = RollbackWarmup.request();
        AtomicReference<Work> next = new AtomicReference<>();
        AtomicReference<Map<String, Object>> inside = new AtomicReference<>();
        AtomicReference<Map<String, Long>> insideMarked = new AtomicReference<>();

        Warmup.inRolledBackTransaction(() -> {
            next.set(warmup.rehearse(request));
            em.flush();
            inside.set(written(request));
            insideMarked.set(marked());
        });

        assertThat(inside.get()).as("written inside the rolled-back transaction (the path really ran)")
                .containsEntry("deployment", 1L).containsEntry("rolling back", 1L).containsEntry("steps", 2L)
                .containsEntry("aborted steps", 1L).containsEntry("outbox", 1L)
                .containsEntry("step-completed in the outbox", 1L).containsEntry("inbox", 1L);
        assertThat(insideMarked.get()).as("found by the mark inside the transaction (what the other test counts)")
                .allSatisfy((what, n) -> assertThat(n).as(what).isPositive());
        UUID id = UUID.fromString(request.subject());
        assertThat(next.get()).as("the call the rollback worker would make next")
                .isInstanceOfSatisfying(Work.Rollback.class, call -> {
                    assertThat(call.toVersion()).isEqualTo(request.data().toVersion());
                    assertThat(call.messageId()).isEqualTo(WebhookIds.rollback(id));
                    assertThat(call.target().url()).isEqualTo(RollbackWarmup.TARGET_URL);
                });
        assertThat(QuarkusTransaction.requiringNew().call(() -> written(request)))
                .as("left behind once the transaction is rolled back").allSatisfy((what, n) -> assertThat(n)
                        .as(what).isEqualTo(0L));
    }

    @Test
    void runLeavesNoRowNoStepCounterAndNoLogLine() throws Exception {
        double stepsCounted = stepsCounted();
        LogCapture logs = LogCapture.start();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try {
            // On a thread of its own, as the platform's warm-up runs it (no request context, no test transaction).
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        warmup.run();
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "rollwatch-warmup-test");
            thread.start();
            thread.join(60_000);
            assertThat(thread.isAlive()).as("the warm-up task is still running after 60 s").isFalse();
        } finally {
            logs.stop();
        }
        assertThat(failed.get()).as("the task failed").isNull();

        assertThat(QuarkusTransaction.requiringNew().call(this::marked)).as("left behind by the warm-up")
                .allSatisfy((what, n) -> assertThat(n).as(what).isZero());
        assertThat(logs.lines()).as("log lines about the warm-up's request, deployment or step")
                .noneMatch(line -> line.contains(RollbackWarmup.MARK));
        assertThat(stepsCounted()).as("rollwatch.deploy.steps counted by the warm-up").isEqualTo(stepsCounted);
    }

    private double stepsCounted() {
        return registry.find("rollwatch.deploy.steps").counters().stream().mapToDouble(Counter::count).sum();
    }
}
