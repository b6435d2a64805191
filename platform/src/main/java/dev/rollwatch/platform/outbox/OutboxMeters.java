package dev.rollwatch.platform.outbox;

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

/**
 * The outbox's backlog, for dashboards and the {@code RollwatchOutboxBacklogOld} alert (docs/observability.md): how
 * many events are written but not yet acknowledged by Kafka, and how old the oldest of them is. The relay normally
 * publishes a row milliseconds after its commit, so a backlog that ages means Kafka is unreachable or the relay is
 * stuck. Read from the service's own {@code outbox_message} table (the partial index on unpublished rows keeps it
 * cheap) every {@code rollwatch.metrics.refresh}; the database's clock measures the age. One bean for every service
 * built on platform (each has an outbox), so the series' names are the same in all of them.
 */
@ApplicationScoped
public class OutboxMeters {

    static final String BACKLOG = "rollwatch.outbox.backlog";
    static final String OLDEST_AGE = "rollwatch.outbox.oldest.age";
    private static final Logger LOG = Logger.getLogger(OutboxMeters.class);
    private static final String QUERY = "SELECT count(*), coalesce(extract(epoch FROM (now() - min(created_at))), 0)"
            + " FROM outbox_message WHERE published_at IS NULL";

    private final AgroalDataSource dataSource;
    private volatile double backlog;
    private volatile double oldestAgeSeconds;

    public OutboxMeters(AgroalDataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        Gauge.builder(BACKLOG, this, m -> m.backlog)
                .description("outbox events written but not yet acknowledged by Kafka").register(registry);
        Gauge.builder(OLDEST_AGE, this, m -> m.oldestAgeSeconds).baseUnit("seconds")
                .description("age of the oldest unpublished outbox event (0 when there is none)").register(registry);
    }

    @Scheduled(every = "${rollwatch.metrics.refresh:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            record(rs.getLong(1), rs.getDouble(2));
        } catch (SQLException e) {
            // The last values stay; the service's own health check reports the database.
            LOG.debugf("outbox meters not refreshed: %s", e.getMessage());
        }
    }

    void record(long unpublished, double oldestSeconds) {
        backlog = unpublished;
        oldestAgeSeconds = Math.max(0, oldestSeconds);
    }
}
