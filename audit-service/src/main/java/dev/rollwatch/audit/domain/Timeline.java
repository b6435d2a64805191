package dev.rollwatch.audit.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.InvalidEventException;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.NotificationFailed;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.ThresholdBreached;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deployment's story from the log: its events in order, each linked to the event that caused it, and for every
 * rollback the causal chain resolved (which breach, which decision, which rollback, which notifications) with the
 * time between the hops. Built from stored entries only, so it is a pure function tested directly.
 */
public record Timeline(String deploymentId, List<Item> events, List<Rollback> rollbacks) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(long position, String id, String type, String source, Instant time, String causationId,
            Long causedByPosition, String causedByType) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Breach(String eventId, long position, Instant time, String check, String metric, String query,
            List<Double> observed, double threshold, String operator, String severity, Instant observedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decision(String eventId, long position, Instant time, String trigger, String reason,
            String policyRule, Integer policyVersion, String fromVersion, String toVersion, String requestedBy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Done(String eventId, long position, Instant time, String outcome, String toVersion,
            Long durationMs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Notification(String eventId, long position, Instant time, String type, String channel,
            String status, int attempts, String aboutEventId) {
    }

    /** Milliseconds between the hops; null where a hop has not happened (yet). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Durations(Long breachToDecisionMs, Long decisionToRollbackDoneMs, Long breachToRollbackDoneMs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rollback(List<Breach> breaches, Decision decision, Done rollback, Done finished,
            List<Notification> notifications, Durations durations) {
    }

    private record Decoded(StoredEntry entry, Envelope<EventData> event) {
    }

    /**
     * @param entries      the deployment's entries in position order
     * @param breachesById breach entries named by its rollback requests, wherever they are in the log
     */
    public static Timeline of(String deploymentId, List<StoredEntry> entries, Map<String, StoredEntry> breachesById) {
        Map<String, StoredEntry> byId = new LinkedHashMap<>();
        entries.forEach(e -> byId.put(e.eventId(), e));
        List<Item> items = entries.stream().map(e -> {
            StoredEntry cause = e.causationId() == null ? null : byId.get(e.causationId());
            return new Item(e.position(), e.eventId(), e.type(), e.source(), e.eventTime(), e.causationId(),
                    cause == null ? null : cause.position(), cause == null ? null : cause.type());
        }).toList();

        List<Decoded> decoded = new ArrayList<>();
        for (StoredEntry e : entries) {
            decode(e).ifPresent(d -> decoded.add(d));
        }
        List<Rollback> rollbacks = new ArrayList<>();
        for (Decoded d : decoded) {
            if (d.event().data() instanceof RollbackRequested requested) {
                rollbacks.add(rollback(d, requested, decoded, byId, breachesById));
            }
        }
        return new Timeline(deploymentId, items, rollbacks);
    }

    private static Rollback rollback(Decoded request, RollbackRequested data, List<Decoded> all,
            Map<String, StoredEntry> byId, Map<String, StoredEntry> breachesById) {
        List<String> breachIds = new ArrayList<>(data.breachEventIds());
        if (breachIds.isEmpty() && request.entry().causationId() != null) {
            breachIds.add(request.entry().causationId());
        }
        List<Breach> breaches = new ArrayList<>();
        for (String id : breachIds) {
            StoredEntry entry = byId.containsKey(id) ? byId.get(id) : breachesById.get(id);
            decode(entry).filter(d -> d.event().data() instanceof ThresholdBreached).ifPresent(d -> {
                ThresholdBreached b = (ThresholdBreached) d.event().data();
                breaches.add(new Breach(d.entry().eventId(), d.entry().position(), d.entry().eventTime(), b.check(),
                        b.metric(), b.query(), b.observed(), b.threshold(), b.operator().symbol(),
                        b.severity().name(), b.observedAt()));
            });
        }
        breaches.sort(Comparator.comparing(Breach::observedAt));
        Decision decision = new Decision(request.entry().eventId(), request.entry().position(),
                request.entry().eventTime(), data.trigger().name(), data.reason(), data.policyRule(),
                data.policyVersion(), data.fromVersion(), data.toVersion(), data.requestedBy());

        Decoded completed = firstCausedBy(all, request.entry().eventId(), RollbackCompleted.class);
        Done rollback = null;
        Done finished = null;
        if (completed != null) {
            RollbackCompleted c = (RollbackCompleted) completed.event().data();
            rollback = new Done(completed.entry().eventId(), completed.entry().position(),
                    completed.entry().eventTime(), c.outcome().name(), c.toVersion(), c.durationMs());
            Decoded end = firstCausedBy(all, completed.entry().eventId(), DeploymentFinished.class);
            if (end != null) {
                finished = new Done(end.entry().eventId(), end.entry().position(), end.entry().eventTime(),
                        ((DeploymentFinished) end.event().data()).outcome().name(), null, null);
            }
        }

        Set<String> chain = new HashSet<>(breachIds);
        chain.add(request.entry().eventId());
        if (rollback != null) {
            chain.add(rollback.eventId());
        }
        if (finished != null) {
            chain.add(finished.eventId());
        }
        List<Notification> notifications = new ArrayList<>();
        for (Decoded d : all) {
            if (d.event().data() instanceof NotificationDelivered n
                    && (chain.contains(n.eventId()) || chain.contains(d.entry().causationId()))) {
                notifications.add(new Notification(d.entry().eventId(), d.entry().position(), d.entry().eventTime(),
                        d.entry().type(), n.channel(), n.status(), n.attempts(), n.eventId()));
            } else if (d.event().data() instanceof NotificationFailed n
                    && (chain.contains(n.eventId()) || chain.contains(d.entry().causationId()))) {
                notifications.add(new Notification(d.entry().eventId(), d.entry().position(), d.entry().eventTime(),
                        d.entry().type(), n.channel(), n.status(), n.attempts(), n.eventId()));
            }
        }

        Instant breachAt = breaches.isEmpty() ? null : breaches.get(0).observedAt();
        Instant decidedAt = decision.time();
        Instant doneAt = rollback == null ? null : rollback.time();
        Durations durations = new Durations(millis(breachAt, decidedAt), millis(decidedAt, doneAt),
                millis(breachAt, doneAt));
        return new Rollback(breaches, decision, rollback, finished, notifications, durations);
    }

    private static Decoded firstCausedBy(List<Decoded> all, String causeId, Class<? extends EventData> type) {
        return all.stream().filter(d -> causeId.equals(d.entry().causationId()) && type.isInstance(d.event().data()))
                .findFirst().orElse(null);
    }

    private static Long millis(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis();
    }

    private static java.util.Optional<Decoded> decode(StoredEntry entry) {
        if (entry == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new Decoded(entry, EventCodec.decode(entry.payload())));
        } catch (InvalidEventException e) {
            return java.util.Optional.empty(); // a newer or foreign type: listed, not interpreted
        }
    }
}
