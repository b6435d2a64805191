package dev.rollwatch.audit.service;

import dev.rollwatch.audit.domain.Replay;
import dev.rollwatch.audit.domain.ReplayDestination;
import dev.rollwatch.audit.domain.ReplayStatus;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.repository.EntryFilter;
import dev.rollwatch.audit.repository.ReplayRepository;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts replay requests. A replay covers a fixed range: from {@code fromPosition} to {@code toPosition}, which
 * defaults to the head at request time, so its total is known up front and events appended meanwhile are not
 * part of it. The request is stored, then handed to {@link ReplayRunner}, which publishes in the background.
 */
@ApplicationScoped
public class ReplayService {

    private static final Logger LOG = Logger.getLogger(ReplayService.class);

    private final AuditLogRepository log;
    private final ReplayRepository replays;
    private final ReplayRunner runner;

    public ReplayService(AuditLogRepository log, ReplayRepository replays, ReplayRunner runner) {
        this.log = log;
        this.replays = replays;
        this.runner = runner;
    }

    /**
     * Store and start a replay of the entries matching {@code filter} (its {@code after} is {@code fromPosition - 1})
     * up to {@code toPosition} (null = the head now) to {@code destination} (null = {@code audit-replay}), asked for
     * by {@code requestedBy} (the token subject).
     */
    public Replay request(EntryFilter filter, Long toPosition, String destination, String requestedBy) {
        String topic;
        try {
            topic = ReplayDestination.resolve(destination);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-destination", e.getMessage());
        }
        long head = log.head().position();
        if (toPosition != null && toPosition > head) {
            throw ProblemException.badRequest("range-beyond-head",
                    "toPosition (" + toPosition + ") is beyond the last position of the log (" + head + ")")
                    .with("head", head);
        }
        long to = toPosition != null ? toPosition : head;
        Replay replay = new Replay();
        replay.id = UUID.randomUUID();
        replay.status = ReplayStatus.PENDING;
        replay.destination = topic;
        replay.deploymentId = filter.deploymentId();
        replay.eventType = filter.type();
        replay.source = filter.source();
        replay.fromTime = filter.from();
        replay.toTime = filter.to();
        replay.fromPosition = filter.after() + 1;
        replay.toPosition = to;
        replay.lastPosition = filter.after();
        replay.total = log.count(filter, to);
        replay.requestedBy = requestedBy;
        replay.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        replays.create(replay);
        LOG.infof("audit replay requested: replayId=%s requestedBy=%s destination=%s deploymentId=%s type=%s "
                + "source=%s positions=%d..%d total=%d", replay.id, requestedBy, topic, replay.deploymentId,
                replay.eventType, replay.source, replay.fromPosition, to, replay.total);
        runner.submit(replay.id);
        return replay;
    }

    public Optional<Replay> find(UUID id) {
        return replays.find(id);
    }
}
