package dev.rollwatch.monitor.rest;

import dev.rollwatch.events.EventType;
import dev.rollwatch.monitor.service.WatchService;
import dev.rollwatch.platform.warmup.Warmup;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor's start-up warm-up task ({@link BreachWarmup}): it runs in the platform's warm-up (not skipped), it
 * does go through the breach path (a breach, its outbox row, the reading's series points — visible inside its
 * transaction once flushed, as the platform flushes before its rollback), and it leaves nothing behind: no watch,
 * check, series point, breach, early event or outbox row, no meter counted, no log line about its deployment.
 */
@QuarkusTest
@TestProfile(BreachWarmupIT.WarmupOn.class)
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class BreachWarmupIT {

    /**
     * The warm-up on (few iterations); the polled providers and the availability probes idle after their first tick,
     * so that no watch left by another test class moves the meters compared here.
     */
    public static class WarmupOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollwatch.warmup.enabled", "true", "rollwatch.warmup.iterations", "10",
                    "rollwatch.monitor.scrape-tick", "1h", "rollwatch.monitor.availability-interval", "1h");
        }
    }

    private static final List<String> METERS = List.of("rollwatch.monitor.measurements",
            "rollwatch.monitor.breaches", "rollwatch.monitor.recoveries", "rollwatch.monitor.watches.started",
            "rollwatch.monitor.early.events", "rollwatch.monitor.sample.to.breach.latency");

    @Inject
    BreachWarmup task;

    @Inject
    Warmup warmup;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    @Inject
    TransactionManager transactions;

    @BeforeEach
    void warmUpDone() {
        await().atMost(Duration.ofSeconds(90)).until(() -> warmup.running().isEmpty());
    }

    @Test
    void theStartUpWarmUpRunsItWithoutSkippingIt() {
        assertThat(warmup.took()).as("the warm-up's steps (a step that threw is missing)").containsKey(task.name());
    }

    @Test
    void aRunOpensABreachAndLeavesNoRowNoMeterAndNoLogLine() throws Exception {
        Map<String, Double> meters = meters();
        LogCapture log = LogCapture.start();
        BreachWarmup.Rehearsal rehearsal = task.next();
        SampleRequests.SamplesAccepted answer;
        try {
            Logger.getLogger(BreachWarmupIT.class).info("log capture attached");
            answer = task.run(rehearsal);
        } finally {
            log.stop();
        }
        String id = rehearsal.deploymentId();

        assertThat(answer.deploymentId()).isEqualTo(id);
        assertThat(answer.breachEventIds()).as("the breach the batch opened").hasSize(1);
        String breach = answer.breachEventIds().get(0);
        assertThat(rowsOf(id, breach, List.of())).as("rows left by the warm-up").containsOnlyKeys(TABLES)
                .allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
        assertThat(meters()).as("the monitor's meters").isEqualTo(meters);
        assertThat(log.lines()).as("the capture sees the service's log").contains("log capture attached");
        assertThat(log.lines()).as("log lines about the warm-up's deployment or breach")
                .noneMatch(line -> line.contains(id) || line.contains(breach));
    }

    /** What the platform's rolled-back transaction does: flush the session, then roll back. */
    @Test
    void flushedBeforeTheRollbackEveryWriteRunsAndNoneStays() throws Exception {
        BreachWarmup.Rehearsal rehearsal = task.next();
        SampleRequests.PostSamples request = task.decode(rehearsal.body());
        String id = rehearsal.deploymentId();
        String breach;
        List<Long> checks;
        transactions.begin();
        try {
            SampleRequests.SamplesAccepted answer = task.rehearse(rehearsal.started(), request);
            em.flush();
            breach = answer.breachEventIds().get(0);
            checks = checkIds(id);
            Map<String, Long> inside = rowsOf(id, breach, checks);
            assertThat(inside.get("watch")).isEqualTo(1);
            assertThat(inside.get("check_state")).as("the golden DeploymentStarted's checks")
                    .isEqualTo(WatchService.rulesFor(rehearsal.started().data()).size());
            assertThat(inside.get("check_point")).as("one series point per judged sample")
                    .isEqualTo(answer.measurements());
            assertThat(inside.get("breach")).isEqualTo(1);
            assertThat(inside.get("outbox_message")).isEqualTo(1);
            assertThat(em.createNativeQuery("SELECT event_type FROM outbox_message WHERE id = ?1")
                    .setParameter(1, breach).getSingleResult()).isEqualTo(EventType.THRESHOLD_BREACHED.type());
        } finally {
            transactions.rollback();
        }

        Map<String, Long> after = QuarkusTransaction.requiringNew().call(() -> rowsOf(id, breach, checks));
        assertThat(after).as("rows left after the rollback").allSatisfy((table, rows) -> assertThat(rows)
                .as(table).isZero());
    }

    private static final List<String> TABLES = List.of("watch", "check_state", "check_point", "breach",
            "analysis_run", "early_event", "outbox_message");

    /** Rows of the deployment in each table (check_point: of the given check ids), in the current transaction. */
    private Map<String, Long> rowsOf(String id, String breach, List<Long> checkIds) {
        if (!QuarkusTransaction.isActive()) {
            return QuarkusTransaction.requiringNew().call(() -> rowsOf(id, breach, checkIds));
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("watch", count("SELECT count(*) FROM watch WHERE deployment_id = ?1", id));
        rows.put("check_state", count("SELECT count(*) FROM check_state WHERE deployment_id = ?1", id));
        long points = 0;
        for (Long check : checkIds) {
            points += count("SELECT count(*) FROM check_point WHERE check_id = ?1", check);
        }
        rows.put("check_point", points);
        rows.put("breach", count("SELECT count(*) FROM breach WHERE deployment_id = ?1 OR event_id = ?2", id,
                breach));
        rows.put("analysis_run", count("SELECT count(*) FROM analysis_run WHERE deployment_id = ?1", id));
        rows.put("early_event", count("SELECT count(*) FROM early_event WHERE deployment_id = ?1", id));
        rows.put("outbox_message", count("SELECT count(*) FROM outbox_message WHERE id = ?1 OR message_key = ?2",
                breach, id));
        return rows;
    }

    private List<Long> checkIds(String id) {
        List<?> ids = em.createNativeQuery("SELECT id FROM check_state WHERE deployment_id = ?1")
                .setParameter(1, id).getResultList();
        List<Long> out = new ArrayList<>();
        ids.forEach(i -> out.add(((Number) i).longValue()));
        return out;
    }

    private long count(String sql, Object... parameters) {
        var query = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return ((Number) query.getSingleResult()).longValue();
    }

    /** The count of each of the monitor's own meters (a timer's too), by name and tags. */
    private Map<String, Double> meters() {
        Map<String, Double> values = new LinkedHashMap<>();
        registry.getMeters().stream().filter(m -> METERS.contains(m.getId().getName())).forEach(m -> m.measure()
                .forEach(s -> {
                    if (s.getStatistic() == Statistic.COUNT) {
                        values.put(m.getId().getName() + m.getId().getTags(), s.getValue());
                    }
                }));
        return values;
    }
}
