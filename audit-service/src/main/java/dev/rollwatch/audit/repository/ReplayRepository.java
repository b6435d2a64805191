package dev.rollwatch.audit.repository;

import dev.rollwatch.audit.domain.Replay;
import dev.rollwatch.audit.domain.ReplayStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Replay requests and their progress. Each method is its own transaction unless the caller has one. */
@ApplicationScoped
public class ReplayRepository implements PanacheRepositoryBase<Replay, UUID> {

    @Transactional
    public void create(Replay replay) {
        persist(replay);
    }

    @Transactional
    public Optional<Replay> find(UUID id) {
        return findByIdOptional(id);
    }

    /** Replays a restart interrupted or that never started, oldest first. */
    @Transactional
    public List<UUID> unfinished() {
        return list("status in ?1 order by createdAt", List.of(ReplayStatus.PENDING, ReplayStatus.RUNNING))
                .stream().map(r -> r.id).toList();
    }

    @Transactional
    public void markRunning(UUID id, Instant when) {
        update("status = ?1, startedAt = coalesce(startedAt, ?2) where id = ?3", ReplayStatus.RUNNING, when, id);
    }

    /** Everything up to {@code lastPosition} is acknowledged by the broker: {@code published} events in all. */
    @Transactional
    public void progress(UUID id, long published, long lastPosition) {
        update("published = ?1, lastPosition = ?2 where id = ?3", published, lastPosition, id);
    }

    @Transactional
    public void finish(UUID id, ReplayStatus status, String error, Instant when) {
        update("status = ?1, error = ?2, finishedAt = ?3 where id = ?4", status, error, when, id);
    }
}
