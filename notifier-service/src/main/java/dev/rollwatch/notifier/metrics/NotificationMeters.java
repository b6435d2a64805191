package dev.rollwatch.notifier.metrics;

import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.domain.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Registers {@code rollwatch.notifier.deliveries{channel_type, outcome}} (counted by DeliveryStore when a delivery
 * ends) for every channel type and final outcome at start-up, at 0. Prometheus's {@code increase()} needs a sample
 * before the first failure to see it: a series born at 1 would never fire {@code RollwatchNotificationsFailing}
 * (docs/observability.md). Low cardinality: five channel types, four outcomes.
 */
@Startup
@ApplicationScoped
public class NotificationMeters {

    static final String DELIVERIES = "rollwatch.notifier.deliveries";
    static final List<String> OUTCOMES = List.of(RetryPolicy.DELIVERED, RetryPolicy.REJECTED, RetryPolicy.EXHAUSTED,
            RetryPolicy.CHANNEL_GONE);

    @Inject
    public NotificationMeters(Instance<ChannelSender> senders, MeterRegistry registry) {
        this(senders.stream().map(ChannelSender::type).toList(), registry);
    }

    NotificationMeters(List<String> channelTypes, MeterRegistry registry) {
        for (String type : channelTypes) {
            for (String outcome : OUTCOMES) {
                registry.counter(DELIVERIES, "channel_type", type, "outcome", outcome);
            }
        }
    }
}
