package dev.rollwatch.notifier.repository;

import dev.rollwatch.notifier.domain.Delivery;
import dev.rollwatch.notifier.domain.DeliveryStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class DeliveryRepository implements PanacheRepositoryBase<Delivery, UUID> {

    private static final String DUE = "status = :pending and nextAttemptAt <= :now "
            + "and (leaseUntil is null or leaseUntil < :now)";

    public boolean exists(String eventId, String channel) {
        return count("eventId = ?1 and channel = ?2", eventId, channel) > 0;
    }

    /** The delivery if it is due and nobody holds it; locked, skipping a row another worker has locked. */
    public Optional<Delivery> lockIfDue(UUID id, Instant now) {
        return find("id = :id and " + DUE, Parameters.with("id", id).and("pending", DeliveryStatus.PENDING)
                .and("now", now))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .firstResultOptional();
    }

    public List<Delivery> lockDue(Instant now, int limit) {
        return find(DUE + " order by nextAttemptAt", Parameters.with("pending", DeliveryStatus.PENDING)
                .and("now", now))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .page(0, limit)
                .list();
    }

    /** The newest sent (or being sent) delivery of the same alert on a channel, locked: the flood-control leader. */
    public Optional<Delivery> lastSent(String deploymentId, String channel, String alertKey) {
        return find("deploymentId = :deploymentId and channel = :channel and alertKey = :alertKey "
                        + "and status in (:sent) order by createdAt desc",
                Parameters.with("deploymentId", deploymentId).and("channel", channel).and("alertKey", alertKey)
                        .and("sent", List.of(DeliveryStatus.PENDING, DeliveryStatus.DELIVERED)))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, 1)
                .firstResultOptional();
    }

    public Optional<Delivery> lock(UUID id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * Delivery history, newest first, filtered by whichever of the arguments are set; {@code services} (null = all)
     * limits it to deliveries about those services.
     */
    public PanacheQuery<Delivery> search(String eventId, String deploymentId, String channel,
            Collection<String> services) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (eventId != null) {
            where.add("eventId = :eventId");
            params.and("eventId", eventId);
        }
        if (deploymentId != null) {
            where.add("deploymentId = :deploymentId");
            params.and("deploymentId", deploymentId);
        }
        if (channel != null) {
            where.add("channel = :channel");
            params.and("channel", channel);
        }
        if (services != null) {
            where.add("service in :services");
            params.and("services", services);
        }
        String query = (where.isEmpty() ? "" : String.join(" and ", where)) + " order by createdAt desc, id";
        return find(query, params);
    }
}
