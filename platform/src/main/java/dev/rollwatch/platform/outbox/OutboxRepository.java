package dev.rollwatch.platform.outbox;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessage, String> {

    /** Rows a crash (or a failed send) left unpublished; locked so a second instance sweeps other rows. */
    public List<OutboxMessage> lockUnpublishedOlderThan(Instant cutoff, int limit) {
        return find("publishedAt is null and createdAt < ?1 order by createdAt", cutoff)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .page(0, limit)
                .list();
    }

    public int markPublished(Collection<String> ids, Instant when) {
        return update("publishedAt = ?1 where id in ?2 and publishedAt is null", when, ids);
    }

    public long countUnpublished() {
        return count("publishedAt is null");
    }

    public int deletePublishedBefore(Instant cutoff) {
        return (int) delete("publishedAt is not null and publishedAt < ?1", cutoff);
    }
}
