package dev.rollwatch.monitor.repository;

import dev.rollwatch.events.Measure;
import dev.rollwatch.events.Severity;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.WatchStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class CheckStateRepository implements PanacheRepositoryBase<CheckState, Long> {

    public List<CheckState> forDeployment(String deploymentId) {
        return list("deploymentId = ?1 order by position", deploymentId);
    }

    /** A check as the poller sees it: whose it is, the step it is a criterion of (null: none), and its rule. */
    public record PolledCheck(String deploymentId, Integer stepIndex, CheckRule rule) {
    }

    /**
     * The rules of the checks of still-watching deployments that name one of {@code providers}, in each deployment's
     * order: only the columns a rule is made of, never a check's figures. The poller asks every second; loading the
     * entities instead hydrated every watching check's measurement rings (up to 20 measurements as JSON) and had
     * Hibernate compare every one of them with its snapshot at the commit, work that grows with every watching check
     * (at 200 deployments the stack benchmark could not tell the difference: docs/performance.md).
     */
    public List<PolledCheck> polledOfWatchingDeployments(Collection<String> providers) {
        List<Object[]> rows = getEntityManager().createQuery("select c.deploymentId, c.stepIndex, c.name, c.provider, "
                + "c.metric, c.query, c.minValue, c.maxValue, c.intervalMs, c.windowMs, c.failureLimit, "
                + "c.consecutiveErrorLimit, c.severity, c.measure from CheckState c where c.provider in ?1 and "
                + "c.deploymentId in (select w.deploymentId from Watch w where w.status <> ?2) "
                + "order by c.deploymentId, c.position", Object[].class)
                .setParameter(1, providers).setParameter(2, WatchStatus.STOPPED).getResultList();
        return rows.stream().map(r -> new PolledCheck((String) r[0], (Integer) r[1],
                new CheckRule((String) r[2], (String) r[3], (String) r[4], (String) r[5], (Double) r[6],
                        (Double) r[7], r[8] == null ? null : Duration.ofMillis((Long) r[8]),
                        r[9] == null ? null : Duration.ofMillis((Long) r[9]), (Integer) r[10], (Integer) r[11],
                        (Severity) r[12], (Measure) r[13]))).toList();
    }
}
