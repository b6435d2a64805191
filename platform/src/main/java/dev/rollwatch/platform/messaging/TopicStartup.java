package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.Topics;
import dev.rollwatch.events.kafka.TopicProvisioner;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure every contract topic exists with the configured partition count before consumers subscribe, so a
 * fresh broker (docker-compose, a cloud cluster) gets the same topics as {@code ./rollwatch up}; and tells the
 * start-up warm-up whether its topic ({@link Topics#PRODUCER_WARMUP}) is there.
 */
@ApplicationScoped
public class TopicStartup {

    private static final Logger LOG = Logger.getLogger(TopicStartup.class);
    private volatile boolean warmupTopic;
    /** The admin client settings, kept until {@link #warmupTopicExists()} has asked the broker. */
    private volatile Map<String, Object> admin;

    void provision(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "rollwatch.kafka.provision-topics", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "rollwatch.kafka.partitions", defaultValue = "3") int partitions,
            @ConfigProperty(name = "rollwatch.kafka.replication-factor", defaultValue = "1") short replication) {
        // The same client settings as the channels (bootstrap.servers and, on a secured broker,
        // security.protocol, sasl.*, ssl.*): every kafka.* property of the configuration.
        Map<String, Object> admin = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        this.admin = admin;
        if (!enabled) {
            return;
        }
        try {
            List<String> created = TopicProvisioner.ensureTopics(admin, partitions, replication);
            if (!created.isEmpty()) {
                LOG.infof("created Kafka topics %s", created);
            }
            warmupTopic = true;
        } catch (RuntimeException e) {
            LOG.warnf("could not provision Kafka topics at %s (continuing; they may exist already): %s",
                    kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG), e.getMessage());
        }
    }

    /**
     * Whether {@link Topics#PRODUCER_WARMUP} exists: provisioned at start-up, or else asked of the broker (once, up to
     * 5 s; call it off the start-up thread). The warm-up sends there only then: a producer's send to a missing topic
     * blocks its sending thread, and real events with it, for {@code max.block.ms}.
     */
    public boolean warmupTopicExists() {
        if (!warmupTopic && admin != null) {
            warmupTopic = exists(admin, Topics.PRODUCER_WARMUP);
            admin = null; // asked once
        }
        return warmupTopic;
    }

    private static boolean exists(Map<String, Object> client, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            return admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.infof("could not tell whether Kafka topic %s exists (the start-up warm-up will not send there): %s",
                    topic, e.toString());
            return false;
        }
    }
}
