package dev.rollwatch.notifier.service;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.channel.log.LogChannelSender;
import dev.rollwatch.notifier.domain.AlertFacts;
import dev.rollwatch.notifier.domain.Channel;
import dev.rollwatch.notifier.domain.Delivery;
import dev.rollwatch.notifier.domain.DeploymentContext;
import dev.rollwatch.notifier.domain.DeliveryStatus;
import dev.rollwatch.notifier.domain.FloodControl;
import dev.rollwatch.notifier.domain.MessageRenderer;
import dev.rollwatch.notifier.domain.Notification;
import dev.rollwatch.notifier.domain.PlannedDelivery;
import dev.rollwatch.notifier.domain.RouteMatcher;
import dev.rollwatch.notifier.repository.ChannelRepository;
import dev.rollwatch.notifier.repository.DeploymentContextRepository;
import dev.rollwatch.notifier.repository.DeliveryRepository;
import dev.rollwatch.notifier.repository.RouteRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns a notified event into PENDING deliveries, in the consumer's transaction: route, render, record one row
 * per channel. The worker sends them once the transaction commits.
 */
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);

    private final RouteRepository routes;
    private final ChannelRepository channels;
    private final DeliveryRepository deliveries;
    private final MessageRenderer renderer;
    private final FloodControl flood;
    private final Event<DeliveriesRecorded> recorded;
    private final MeterRegistry registry;
    private final DeploymentContextRepository contexts;
    private final Duration contextWait;

    public NotificationService(RouteRepository routes, ChannelRepository channels, DeliveryRepository deliveries,
            MessageRenderer renderer, FloodControl flood, Event<DeliveriesRecorded> recorded,
            MeterRegistry registry, DeploymentContextRepository contexts, NotifierConfig config) {
        this.contexts = contexts;
        this.contextWait = config.contextWait();
        this.routes = routes;
        this.channels = channels;
        this.deliveries = deliveries;
        this.renderer = renderer;
        this.flood = flood;
        this.recorded = recorded;
        this.registry = registry;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> record(Envelope<? extends EventData> event, String payload) {
        String deploymentId = event.subject() != null ? event.subject() : event.key();
        DeploymentContext context = context(event, deploymentId);
        AlertFacts facts = AlertFacts.of(event, context);
        List<PlannedDelivery> plan = RouteMatcher.plan(routes.rules(), facts, channels.usableNames());
        if (plan.isEmpty()) {
            LOG.infof("unrouted deploymentId=%s eventId=%s eventType=%s severity=%s service=%s: no route matches",
                    deploymentId, event.id(), facts.kind().slug(), facts.severity(), facts.service());
            registry.counter("rollwatch.notifier.unrouted", "event_type", facts.kind().slug()).increment();
            return List.of();
        }
        Notification notification = renderer.render(event, deploymentId, context);
        String alertKey = FloodControl.alertKey(event);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<UUID> ids = new ArrayList<>();
        List<String> grouped = new ArrayList<>();
        for (PlannedDelivery planned : plan) {
            if (deliveries.exists(event.id(), planned.channel())) {
                continue; // one delivery per (event, channel), whatever source re-sent it
            }
            Channel channel = channels.findById(planned.channel());
            Delivery d = new Delivery();
            d.id = UUID.randomUUID();
            d.eventId = event.id();
            d.eventSource = event.source();
            d.eventType = event.type().type();
            d.correlationId = event.correlationId();
            d.deploymentId = deploymentId;
            d.channel = planned.channel();
            d.channelType = channel.type;
            d.fallbackFor = planned.fallbackFor().isEmpty() ? null : String.join(",", planned.fallbackFor());
            d.routes = String.join(",", planned.routes());
            d.severity = facts.severity() == null ? null : facts.severity().name();
            d.service = facts.service();
            d.environment = facts.environment();
            d.title = notification.title();
            d.message = notification.text();
            d.deploymentUrl = notification.deploymentUrl();
            d.timelineUrl = notification.timelineUrl();
            d.eventPayload = payload;
            d.alertKey = alertKey;
            d.status = DeliveryStatus.PENDING;
            d.nextAttemptAt = now;
            d.createdAt = now;
            d.updatedAt = now;
            Delivery leader = LogChannelSender.TYPE.equals(channel.type) || !FloodControl.groupable(facts.severity())
                    ? null : deliveries.lastSent(deploymentId, d.channel, alertKey).orElse(null);
            if (leader != null && flood.groups(leader.createdAt, now)) {
                leader.repeats++;
                leader.updatedAt = now;
                d.status = DeliveryStatus.GROUPED;
                d.outcome = DeliveryStatus.GROUPED.name();
                d.groupedInto = leader.id;
                d.finishedAt = now;
                grouped.add(d.channel);
                registry.counter("rollwatch.notifier.grouped", "channel_type", d.channelType).increment();
            } else if (leader != null) {
                d.message = FloodControl.withLine(d.message, FloodControl.repeatsLine(leader.repeats));
            }
            deliveries.persist(d);
            if (d.status == DeliveryStatus.PENDING) {
                ids.add(d.id);
            }
            registry.counter("rollwatch.notifier.deliveries.recorded", "channel_type", d.channelType).increment();
        }
        LOG.infof("routed deploymentId=%s eventId=%s eventType=%s severity=%s service=%s environment=%s "
                        + "deliveries=%s grouped=%s", deploymentId, event.id(), facts.kind().slug(), facts.severity(),
                facts.service(), facts.environment(), describe(plan), grouped);
        if (!ids.isEmpty()) {
            recorded.fire(new DeliveriesRecorded(ids));
        }
        return ids;
    }

    /**
     * Remembers a deployment from its DeploymentStarted; for a step, finds what its DeploymentStarted said, waiting
     * up to {@code contextWait} for the other consumer to record it (each query sees what was committed since).
     */
    private DeploymentContext context(Envelope<? extends EventData> event, String deploymentId) {
        if (event.data() instanceof DeploymentStarted started) {
            DeploymentContext context = DeploymentContext.of(started);
            contexts.remember(deploymentId, context, Instant.now());
            return context;
        }
        if (!(event.data() instanceof StepCompleted)) {
            return null;
        }
        long deadline = System.nanoTime() + contextWait.toNanos();
        while (true) {
            var found = contexts.lookup(deploymentId);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() >= deadline) {
                LOG.warnf("no DeploymentStarted known for deploymentId=%s after %s: the phase reached is told "
                        + "without its service", deploymentId, contextWait);
                return null;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static String describe(List<PlannedDelivery> plan) {
        List<String> parts = new ArrayList<>();
        for (PlannedDelivery p : plan) {
            parts.add(p.channel() + (p.fallbackFor().isEmpty() ? "" : "(for " + String.join("+", p.fallbackFor())
                    + ")") + "<-" + String.join("+", p.routes()));
        }
        return String.join(",", parts);
    }
}
