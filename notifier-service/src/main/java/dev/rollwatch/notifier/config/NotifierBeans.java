package dev.rollwatch.notifier.config;

import dev.rollwatch.notifier.domain.FloodControl;
import dev.rollwatch.notifier.domain.MessageRenderer;
import dev.rollwatch.notifier.domain.OutboundUrlPolicy;
import dev.rollwatch.notifier.domain.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.util.List;

/** The pure policies, configured (singletons: records and final classes cannot be proxied). */
@ApplicationScoped
public class NotifierBeans {

    @Produces
    @Singleton
    OutboundUrlPolicy outboundUrlPolicy(NotifierConfig config) {
        NotifierConfig.Outbound o = config.outbound();
        return new OutboundUrlPolicy(o.requireHttps(), o.allowLoopback(), o.allowed().orElse(List.of()),
                InetAddress::getAllByName);
    }

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
