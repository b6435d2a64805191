package dev.rollwatch.deploy.report;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The per-service summary, aggregated by the database (a service may have thousands of deployments). */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SummaryService {

    private final EntityManager em;
    private final ReportTargets targets;

    public SummaryService(EntityManager em, ReportTargets targets) {
        this.em = em;
        this.targets = targets;
    }

    @SuppressWarnings("unchecked")
    public ServiceSummary summary(String service, String environment) {
        String scope = " WHERE service = ?1" + (environment == null ? "" : " AND environment = ?2");

        Map<DeploymentStatus, Long> byStatus = new EnumMap<>(DeploymentStatus.class);
        long total = 0;
        for (Object[] r : (List<Object[]>) bind(em.createNativeQuery(
                "SELECT status, count(*) FROM deployment" + scope + " GROUP BY status"), service, environment)
                .getResultList()) {
            long n = ((Number) r[1]).longValue();
            byStatus.put(DeploymentStatus.valueOf((String) r[0]), n);
            total += n;
        }

        Object[] durations = (Object[]) bind(em.createNativeQuery("""
                SELECT count(*), avg(ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM (
                  SELECT extract(epoch FROM finished_at - created_at) * 1000 AS ms FROM deployment""" + scope
                + " AND status = 'SUCCEEDED' AND finished_at IS NOT NULL) d"), service, environment)
                .getSingleResult();
        Object[] rollbacks = (Object[]) bind(em.createNativeQuery("""
                SELECT count(*), avg(ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM (
                  SELECT extract(epoch FROM rollback_finished_at - rollback_detected_at) * 1000 AS ms
                  FROM deployment""" + scope
                + " AND rollback_detected_at IS NOT NULL AND rollback_finished_at IS NOT NULL) d"), service,
                environment).getSingleResult();

        Map<String, ServiceSummary.Version> last = new LinkedHashMap<>();
        for (Object[] r : (List<Object[]>) bind(em.createNativeQuery(
                "SELECT DISTINCT ON (environment) environment, version, id, finished_at FROM deployment" + scope
                        + " AND status = 'SUCCEEDED' ORDER BY environment, finished_at DESC"), service, environment)
                .getResultList()) {
            last.put((String) r[0], new ServiceSummary.Version((String) r[1], (UUID) r[2],
                    FigureRepository.instant(r[3])));
        }
        return new ServiceSummary(service, environment, total, byStatus,
                ServiceSummary.successRate(byStatus, targets.successRate()), durations(durations),
                durations(rollbacks), last);
    }

    private static ServiceSummary.Durations durations(Object[] r) {
        long count = ((Number) r[0]).longValue();
        return new ServiceSummary.Durations(count, r[1] == null ? null : ((Number) r[1]).doubleValue(),
                r[2] == null ? null : ((Number) r[2]).doubleValue());
    }

    private static Query bind(Query q, String service, String environment) {
        q.setParameter(1, service);
        if (environment != null) {
            q.setParameter(2, environment);
        }
        return q;
    }
}
