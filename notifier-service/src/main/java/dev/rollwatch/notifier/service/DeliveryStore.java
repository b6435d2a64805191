package dev.rollwatch.notifier.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.NotificationDelivered;
import dev.rollwatch.events.NotificationFailed;
import dev.rollwatch.notifier.channel.ChannelTarget;
import dev.rollwatch.notifier.channel.OutgoingAlert;
import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.domain.Channel;
import dev.rollwatch.notifier.domain.Delivery;
import dev.rollwatch.notifier.domain.DeliveryStatus;
import dev.rollwatch.notifier.domain.RetryPolicy;
import dev.rollwatch.notifier.domain.SendResult;
import dev.rollwatch.notifier.repository.ChannelRepository;
import dev.rollwatch.notifier.repository.DeliveryRepository;
import dev.rollwatch.platform.outbox.Outbox;
import dev.rollwatch.platform.secrets.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delivery state transitions, each in its own short transaction (never while a receiver is being called):
 * lease a due delivery, then record what the attempt came to. A final outcome and its NotificationDelivered /
 * NotificationFailed outbox row commit together. A worker that dies mid-attempt leaves a lease that expires, so
 * the delivery is attempted again, never lost.
 */
@ApplicationScoped
public class DeliveryStore {

    public static final String SOURCE = Envelope.source("notifier-service");
    private static final Logger LOG = Logger.getLogger(DeliveryStore.class);
    private static final int ERROR_MAX = 1000;

    /** A leased delivery: the attempt may go ahead; {@code unusableReason} is set when its channel cannot be used. */
    public record Claim(UUID deliveryId, UUID leaseToken, ChannelTarget channel, String unusableReason,
            OutgoingAlert alert) {
    }

    private final DeliveryRepository deliveries;
    private final ChannelRepository channels;
    private final Outbox outbox;
    private final RetryPolicy policy;
    private final Duration lease;
    private final MeterRegistry registry;
    private final Timer eventToDelivered;
    private final SecretBox secrets;

    public DeliveryStore(DeliveryRepository deliveries, ChannelRepository channels, Outbox outbox, RetryPolicy policy,
            NotifierConfig config, MeterRegistry registry, SecretBox secrets) {
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.channels = channels;
        this.outbox = outbox;
        this.policy = policy;
        this.lease = config.delivery().lease();
        this.registry = registry;
        this.eventToDelivered = Timer.builder("rollwatch.notifier.delivery.latency")
                .description("delivery recorded to delivered").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Claim> claim(UUID id) {
        Instant now = Instant.now();
        return deliveries.lockIfDue(id, now).map(d -> lease(d, now));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Claim> claimDue(int limit) {
        Instant now = Instant.now();
        return deliveries.lockDue(now, limit).stream().map(d -> lease(d, now)).toList();
    }

    private Claim lease(Delivery d, Instant now) {
        d.attempts++;
        d.leaseUntil = now.plus(lease);
        d.leaseToken = UUID.randomUUID();
        d.updatedAt = now;
        Channel c = channels.findById(d.channel);
        String unusable = c == null ? "channel " + d.channel + " was deleted"
                : !c.enabled ? "channel " + d.channel + " is disabled" : null;
        String secret = null;
        if (c != null && unusable == null) {
            try {
                secret = secrets.open(c.secret); // sealed at rest; a row from before sealing opens as it is
            } catch (SecretBox.SecretUnreadable e) {
                unusable = "channel " + d.channel + ": " + e.getMessage(); // names the key id only
                LOG.errorf("channel %s: %s", d.channel, e.getMessage());
            }
        }
        ChannelTarget target = c == null ? new ChannelTarget(d.channel, d.channelType, null, null)
                : new ChannelTarget(c.name, c.type, c.url, secret);
        OutgoingAlert alert = new OutgoingAlert(d.eventId, d.eventType, d.deploymentId, d.severity, d.service,
                d.environment, d.title, d.message, d.deploymentUrl, d.timelineUrl, d.eventPayload, d.fallbackFor,
                d.attempts);
        return new Claim(d.id, d.leaseToken, target, unusable, alert);
    }

    /**
     * Gives a leased delivery back without counting the attempt, to be tried again after {@code wait} (the
     * channel's rate limit): it waits, it is not dropped.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean postpone(Claim claim, Duration wait) {
        Delivery d = deliveries.lock(claim.deliveryId()).orElse(null);
        if (d == null || d.status != DeliveryStatus.PENDING || !claim.leaseToken().equals(d.leaseToken)) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        d.attempts--;
        d.leaseUntil = null;
        d.leaseToken = null;
        d.nextAttemptAt = now.plus(wait);
        d.updatedAt = now;
        registry.counter("rollwatch.notifier.rate.limited", "channel_type", d.channelType).increment();
        LOG.debugf("rate limited deploymentId=%s eventId=%s channel=%s waitMs=%d", d.deploymentId, d.eventId,
                d.channel, wait.toMillis());
        return true;
    }

    /** Records the attempt's result; returns the wait before the next attempt, or null when the delivery is done. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Duration complete(Claim claim, SendResult result) {
        Delivery d = deliveries.lock(claim.deliveryId()).orElse(null);
        if (d == null || d.status != DeliveryStatus.PENDING || !claim.leaseToken().equals(d.leaseToken)) {
            LOG.warnf("lease lost deliveryId=%s: another worker took the delivery over; result dropped",
                    claim.deliveryId());
            return null;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RetryPolicy.Decision decision = policy.decide(d.attempts, result, ThreadLocalRandom.current().nextDouble());
        d.lastStatusCode = result.statusCode();
        d.lastError = result.error() == null ? null : truncate(result.error());
        d.leaseUntil = null;
        d.leaseToken = null;
        d.updatedAt = now;
        registry.counter("rollwatch.notifier.attempts", "channel_type", d.channelType,
                "result", result.getClass().getSimpleName().toLowerCase()).increment();
        if (decision.status() == DeliveryStatus.PENDING) {
            d.nextAttemptAt = now.plus(decision.retryIn());
            LOG.infof("retry deploymentId=%s eventId=%s channel=%s attempt=%d error=\"%s\" retryInMs=%d",
                    d.deploymentId, d.eventId, d.channel, d.attempts, d.lastError, decision.retryIn().toMillis());
            return decision.retryIn();
        }
        d.status = decision.status();
        d.outcome = decision.outcome();
        d.finishedAt = now;
        if (decision.status() == DeliveryStatus.DELIVERED) {
            d.deliveredAt = now;
            eventToDelivered.record(Duration.between(d.createdAt, now));
            publish(d, new NotificationDelivered(d.channel, d.channelType, d.eventId, d.eventType, d.attempts,
                    d.outcome, now));
            LOG.infof("delivered deploymentId=%s eventId=%s channel=%s attempts=%d", d.deploymentId, d.eventId,
                    d.channel, d.attempts);
        } else {
            if (decision.disableChannel()) {
                disable(d, now);
            }
            publish(d, new NotificationFailed(d.channel, d.channelType, d.eventId, d.eventType, d.attempts,
                    d.outcome, d.lastError));
            LOG.warnf("failed deploymentId=%s eventId=%s channel=%s attempts=%d outcome=%s error=\"%s\"",
                    d.deploymentId, d.eventId, d.channel, d.attempts, d.outcome, d.lastError);
        }
        registry.counter("rollwatch.notifier.deliveries", "channel_type", d.channelType, "outcome", d.outcome)
                .increment();
        return null;
    }

    private void disable(Delivery d, Instant now) {
        Channel c = channels.findById(d.channel);
        if (c != null && c.enabled && !c.builtin) {
            c.disable("receiver answered HTTP 410 Gone at " + now + " (event " + d.eventId + ")", now);
            LOG.warnf("channel disabled deploymentId=%s eventId=%s channel=%s: receiver answered 410 Gone; "
                    + "routes to it now fall back to the log channel", d.deploymentId, d.eventId, d.channel);
        }
    }

    private void publish(Delivery d, EventData data) {
        Envelope<EventData> outcome = new Envelope<>(UUID.randomUUID().toString(), SOURCE, null, d.deploymentId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), d.eventId,
                d.correlationId != null ? d.correlationId : d.deploymentId, d.deploymentId, data);
        outbox.publish(outcome);
    }

    private static String truncate(String s) {
        return s.length() <= ERROR_MAX ? s : s.substring(0, ERROR_MAX);
    }
}
