package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.Topics;
import dev.rollwatch.events.kafka.TopicAcls;
import dev.rollwatch.events.kafka.TopicProvisioner;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.utils.Exit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The per-service ACLs of {@link TopicAcls}, applied on a real broker with SASL authentication and Kafka's
 * StandardAuthorizer: a service authenticated as itself can write its own topics and read with its own group,
 * and cannot forge another service's events. The broker's built-in test users stand in for the service principals:
 * {@code plain-admin} (super user: provisions topics and ACLs) and {@code plain-user1} (here: the monitor).
 */
class KafkaAclEnforcementIT {

    private static final String MONITOR = "User:plain-user1";
    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        Exit.setExitProcedure((code, message) -> System.err.println("broker asked to exit: " + message));
        Exit.setHaltProcedure((code, message) -> System.err.println("broker asked to halt: " + message));
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        TopicProvisioner.ensureTopics(client("plain-admin", "plain-admin-secret"), 1, (short) 1);
        try (Admin admin = Admin.create(client("plain-admin", "plain-admin-secret"))) {
            int applied = TopicAcls.apply(admin, TopicAcls.of("monitor-service").orElseThrow(), MONITOR).size();
            // The controller commits the ACLs; the broker's authorizer learns them from the metadata log a moment
            // later. DescribeAcls is answered from the broker's own authorizer, so it tells when they are in force.
            AclBindingFilter monitors = new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(MONITOR, null, AclOperation.ANY, AclPermissionType.ANY));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                    () -> admin.describeAcls(monitors).values().get(10, TimeUnit.SECONDS).size() >= applied);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, Object> client(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + user + "\" password=\"" + password + "\";");
        return config;
    }

    private static KafkaProducer<String, String> monitorProducer() {
        Map<String, Object> config = client("plain-user1", "plain-user1-secret");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Throwable sendFails(String topic) {
        try (KafkaProducer<String, String> producer = monitorProducer()) {
            producer.send(new ProducerRecord<>(topic, "d-1", "{}")).get(15, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void theMonitorWritesItsOwnTopicsAndTheDeadLettersOfWhatItReads() throws Exception {
        try (KafkaProducer<String, String> producer = monitorProducer()) {
            for (String topic : List.of(Topics.THRESHOLD_BREACHED, Topics.THRESHOLD_RECOVERED,
                    Topics.ANALYSIS_COMPLETED, Topics.dlq(Topics.DEPLOYMENT_STARTED), Topics.PRODUCER_WARMUP)) {
                assertThat(producer.send(new ProducerRecord<>(topic, "d-1", "{}")).get(15, TimeUnit.SECONDS)
                        .topic()).isEqualTo(topic);
            }
        }
    }

    @Test
    void theMonitorCannotForgeARollbackRequestOrAnAuditCheckpoint() {
        for (String topic : List.of(Topics.ROLLBACK_REQUESTED, Topics.AUDIT_CHECKPOINTS, Topics.DEPLOYMENT_STARTED)) {
            assertThat(sendFails(topic)).as(topic).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theMonitorReadsWithItsOwnGroupOnlyAndOnlyWhatItConsumes() {
        Map<String, Object> config = client("plain-user1", "plain-user1-secret");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "monitor-service");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> own = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            own.subscribe(List.of(Topics.DEPLOYMENT_STARTED));
            own.poll(Duration.ofSeconds(3)); // joins its group and fetches without an authorization error
        }

        config.put(ConsumerConfig.GROUP_ID_CONFIG, "rollback-service");
        try (KafkaConsumer<String, String> other = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            other.subscribe(List.of(Topics.DEPLOYMENT_STARTED));
            assertThatThrownBy(() -> other.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }

        config.put(ConsumerConfig.GROUP_ID_CONFIG, "monitor-service");
        try (KafkaConsumer<String, String> prying = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            prying.subscribe(List.of(Topics.ROLLBACK_DECISIONS));
            assertThatThrownBy(() -> prying.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }
}
