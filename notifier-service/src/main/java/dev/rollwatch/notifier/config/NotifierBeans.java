package dev.rollwatch.notifier.config;

import dev.rollwatch.notifier.domain.FloodControl;
import dev.rollwatch.notifier.domain.MessageRenderer;
import dev.rollwatch.notifier.domain.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The pure policies, configured (singletons: records and final classes cannot be proxied). The outbound URL policy
 * is platform's ({@code OutboundPolicyProducer}, {@code rollwatch.outbound.*}); application.properties feeds it the
 * notifier's {@code rollwatch.notifier.outbound.*} keys.
 */
@ApplicationScoped
public class NotifierBeans {

    @Produces
    @Singleton
    RetryPolicy retryPolicy(NotifierConfig config) {
        NotifierConfig.Delivery d = config.delivery();
        return new RetryPolicy(d.maxAttempts(), d.initialBackoff(), d.maxBackoff(), d.maxRetryAfter());
    }

    @Produces
    @Singleton
    FloodControl floodControl(NotifierConfig config) {
        return new FloodControl(config.flood().window());
    }

    @Produces
    @Singleton
    MessageRenderer messageRenderer(NotifierConfig config) {
        return new MessageRenderer(config.links().deploymentBaseUrl(), config.links().auditBaseUrl(),
                config.links().rollbackBaseUrl());
    }
}
