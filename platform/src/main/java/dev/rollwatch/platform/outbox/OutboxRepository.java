package dev.rollwatch.platform.outbox;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessage, String> {

    /**
     * Rows to re-send: every unpublished row of a key that has one older than {@code cutoff} or that the relay holds
     * ({@code heldKeys}), in insertion order, so the rows of one key go out in the order they were written. Locked,
     * skipping rows another instance is sweeping.
     */
    public List<OutboxMessage> lockForSweep(Instant cutoff, Collection<String> heldKeys, int limit) {
        String stale = "select o.messageKey from OutboxMessage o where o.publishedAt is null and o.createdAt < ?1";
        String query = heldKeys.isEmpty()
                ? "publishedAt is null and messageKey in (" + stale + ") order by seq"
                : "publishedAt is null and (messageKey in (" + stale + ") or messageKey in ?2) order by seq";
        var find = heldKeys.isEmpty() ? find(query, cutoff) : find(query, cutoff, heldKeys);
        return find.withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .page(0, limit)
                .list();
    }

    /** Rows without a key (no order to keep) that are older than the cutoff. */
    public List<OutboxMessage> lockUnkeyedOlderThan(Instant cutoff, int limit) {
        return find("publishedAt is null and messageKey is null and createdAt < ?1 order by seq", cutoff)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .page(0, limit)
                .list();
    }

    /** The keys that have an unpublished row: held at start-up, so a new event cannot overtake one a crash left. */
    public List<String> keysWithUnpublishedRows() {
        return getEntityManager().createQuery("select distinct o.messageKey from OutboxMessage o"
                + " where o.publishedAt is null and o.messageKey is not null", String.class).getResultList();
    }

    public boolean hasUnpublished(String key) {
        return count("publishedAt is null and messageKey = ?1", key) > 0;
    }

    public int markPublished(Collection<String> ids, Instant when) {
        return update("publishedAt = ?1 where id in ?2 and publishedAt is null", when, ids);
    }

    /**
     * Parks an unpublished row: it is never sent again, leaves the backlog ({@code published_at} is set too) and is
     * kept by the clean-up. False when it is gone or was published meanwhile.
     */
    public boolean park(String id, String reason, Instant when) {
        return update("publishedAt = ?1, parkedAt = ?1, parkReason = ?2 where id = ?3 and publishedAt is null",
                when, reason, id) > 0;
    }

    public long countUnpublished() {
        return count("publishedAt is null");
    }

    public int deletePublishedBefore(Instant cutoff) {
        return (int) delete("publishedAt is not null and parkedAt is null and publishedAt < ?1", cutoff);
    }
}
