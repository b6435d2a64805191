package dev.rollwatch.deploy.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollwatch.deploy.service.ReportCalculator;
import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The monitor's figures the report reads: each analysis step's ({@code analysis}, seq = step index) and each bake
 * checkpoint's ({@code bake}, seq = checkpoint index) check results, first one wins.
 */
@ApplicationScoped
public class FigureRepository {

    public static final String ANALYSIS = "analysis";
    public static final String BAKE = "bake";

    private final EntityManager em;

    public FigureRepository(EntityManager em) {
        this.em = em;
    }

    /** Records an event's figures once; false when they were already recorded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(UUID deploymentId, String source, int seq, Instant observedAt, Verdict verdict,
            boolean last, List<CheckResult> checks, String eventId) {
        String json;
        try {
            json = EventCodec.mapper().writeValueAsString(checks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return em.createNativeQuery("""
                INSERT INTO deployment_figures (deployment_id, source, seq, observed_at, verdict, last, checks, event_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING""")
                .setParameter(1, deploymentId).setParameter(2, source).setParameter(3, seq)
                .setParameter(4, observedAt).setParameter(5, verdict.name()).setParameter(6, last)
                .setParameter(7, json).setParameter(8, eventId).executeUpdate() == 1;
    }

    /** Every figure recorded for the deployment, in time order. */
    @SuppressWarnings("unchecked")
    public List<ReportCalculator.Probe> of(UUID deploymentId) {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT source, seq, observed_at, verdict, last, checks FROM deployment_figures
                WHERE deployment_id = ?1 ORDER BY observed_at, source, seq""")
                .setParameter(1, deploymentId).getResultList();
        return rows.stream().map(r -> new ReportCalculator.Probe((String) r[0], ((Number) r[1]).intValue(),
                instant(r[2]), Verdict.valueOf((String) r[3]), (Boolean) r[4], checks((String) r[5]))).toList();
    }

    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value);
    }

    private static List<CheckResult> checks(String json) {
        try {
            return EventCodec.mapper().readValue(json, new TypeReference<List<CheckResult>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored figures are unreadable", e);
        }
    }
}
