package dev.rollwatch.platform.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link OutboundUrlPolicy} every service injects, from {@code rollwatch.outbound.*} ({@link OutboundConfig}).
 * The bean is a {@code @Singleton} (the policy is immutable and a final class, which a client proxy could not
 * wrap); DNS is the JVM's resolver.
 */
@ApplicationScoped
public class OutboundPolicyProducer {

    private static final Logger LOG = Logger.getLogger(OutboundPolicyProducer.class);

    @Produces
    @Singleton
    OutboundUrlPolicy outboundUrlPolicy(OutboundConfig config) {
        Map<String, List<String>> byEnv = new HashMap<>();
        config.environments().forEach((env, e) -> byEnv.put(env, e.allowed().orElse(List.of())));
        List<String> allowed = config.allowed().orElse(List.of());
        LOG.infof("outbound policy: requireHttps=%s allowLoopback=%s allowed=%s environments with an allow-list=%s",
                config.requireHttps(), config.allowLoopback(), allowed, byEnv.keySet());
        return new OutboundUrlPolicy(config.requireHttps(), config.allowLoopback(), allowed, byEnv,
                InetAddress::getAllByName);
    }
}
