package dev.rollwatch.deploy.metrics;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rollouts in flight, for dashboards and the {@code RollwatchRollbackStalled} alert (docs/observability.md):
 * {@code rollwatch.deploy.in.flight{status}} counts the deployments in each non-terminal status (one series per
 * status, 0 included, so a dashboard never shows "no data" for a quiet system), and
 * {@code rollwatch.deploy.rolling.back.oldest.age} is how long the oldest deployment still ROLLING_BACK has been
 * rolling back (0 when none is): a rollback takes seconds, one that lasts minutes is stuck on its target. Tags are
 * the status only — never a deployment id or service name (unbounded). Read from the deployment table every
 * {@code rollwatch.metrics.refresh}; the database's clock measures the age.
 */
@ApplicationScoped
public class DeploymentMeters {

    static final String IN_FLIGHT = "rollwatch.deploy.in.flight";
    static final String ROLLING_BACK_OLDEST = "rollwatch.deploy.rolling.back.oldest.age";
    static final List<DeploymentStatus> IN_FLIGHT_STATUSES = List.of(DeploymentStatus.PENDING,
            DeploymentStatus.RUNNING, DeploymentStatus.AWAITING_APPROVAL, DeploymentStatus.PAUSED,
            DeploymentStatus.ROLLING_BACK);
    private static final Logger LOG = Logger.getLogger(DeploymentMeters.class);
    private static final String BY_STATUS = "SELECT status, count(*) FROM deployment"
            + " WHERE status IN ('PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'PAUSED', 'ROLLING_BACK') GROUP BY status";
    private static final String OLDEST_ROLLBACK = "SELECT coalesce(extract(epoch FROM (now()"
            + " - min(coalesce(rollback_started_at, updated_at)))), 0) FROM deployment WHERE status = 'ROLLING_BACK'";

    private final AgroalDataSource dataSource;
    private final Map<DeploymentStatus, AtomicLong> inFlight = new EnumMap<>(DeploymentStatus.class);
    private volatile double oldestRollbackSeconds;

    public DeploymentMeters(AgroalDataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        for (DeploymentStatus status : IN_FLIGHT_STATUSES) {
            AtomicLong count = new AtomicLong();
            inFlight.put(status, count);
            Gauge.builder(IN_FLIGHT, count, AtomicLong::get).tag("status", status.name())
                    .description("deployments in a non-terminal status").register(registry);
        }
        Gauge.builder(ROLLING_BACK_OLDEST, this, m -> m.oldestRollbackSeconds).baseUnit("seconds")
                .description("how long the oldest deployment still ROLLING_BACK has been rolling back (0: none)")
                .register(registry);
    }

    @Scheduled(every = "${rollwatch.metrics.refresh:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        Map<DeploymentStatus, Long> counts = new EnumMap<>(DeploymentStatus.class);
        double oldest;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(BY_STATUS)) {
                while (rs.next()) {
                    counts.put(DeploymentStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery(OLDEST_ROLLBACK)) {
                rs.next();
                oldest = rs.getDouble(1);
            }
        } catch (SQLException e) {
            // The last values stay; the service's own health check reports the database.
            LOG.debugf("deployment meters not refreshed: %s", e.getMessage());
            return;
        }
        record(counts, oldest);
    }

    void record(Map<DeploymentStatus, Long> counts, double oldestRollingBackSeconds) {
        inFlight.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
        oldestRollbackSeconds = Math.max(0, oldestRollingBackSeconds);
    }
}
