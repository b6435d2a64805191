package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.kafka.TopicProvisioner;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sure every contract topic exists with the configured partition count before consumers subscribe, so a
 * fresh broker (docker-compose, a cloud cluster) gets the same topics as {@code ./rollwatch up}.
 */
@ApplicationScoped
public class TopicStartup {

    private static final Logger LOG = Logger.getLogger(TopicStartup.class);

    void provision(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "rollwatch.kafka.provision-topics", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "rollwatch.kafka.partitions", defaultValue = "3") int partitions,
            @ConfigProperty(name = "rollwatch.kafka.replication-factor", defaultValue = "1") short replication) {
        if (!enabled) {
            return;
        }
        try {
            // The same client settings as the channels (bootstrap.servers and, on a secured broker,
            // security.protocol, sasl.*, ssl.*): every kafka.* property of the configuration.
            Map<String, Object> admin = new HashMap<>();
            kafka.forEach((key, value) -> {
                if (AdminClientConfig.configNames().contains(key)) {
                    admin.put(key, value);
                }
            });
            List<String> created = TopicProvisioner.ensureTopics(admin, partitions, replication);
            if (!created.isEmpty()) {
                LOG.infof("created Kafka topics %s", created);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not provision Kafka topics at %s (continuing; they may exist already): %s",
                    kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG), e.getMessage());
        }
    }
}
