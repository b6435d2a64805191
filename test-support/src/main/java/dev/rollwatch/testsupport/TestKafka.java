package dev.rollwatch.testsupport;

import dev.rollwatch.events.kafka.TopicProvisioner;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real KRaft Kafka broker per test JVM (combined broker+controller, in-process), with every Rollwatch topic
 * created. Started on first use, closed when the JVM exits; test classes share it and isolate by deployment id.
 */
public final class TestKafka {

    private static KafkaClusterTestKit cluster;
    private static String bootstrapServers;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            start();
        }
        return bootstrapServers;
    }

    private static void start() {
        long started = System.nanoTime();
        // An in-process broker must never end the test JVM: during JVM shutdown its components can hit fatal
        // paths (log dirs closing under them) that call Exit.exit/halt(1), which turns a green run into a
        // failed fork. Kafka's own tests replace these procedures the same way; we say loudly if it happens.
        Exit.setExitProcedure((code, message) -> System.err.printf(
                "[test-support] the test broker asked to exit(%d): %s (ignored)%n", code, message));
        Exit.setHaltProcedure((code, message) -> System.err.printf(
                "[test-support] the test broker asked to halt(%d): %s (ignored)%n", code, message));
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // as ./rollwatch up: a killed consumer's partitions move on after 10 s, not 45 s
                    .setConfigProp("group.consumer.min.session.timeout.ms", "6000")
                    .setConfigProp("group.consumer.session.timeout.ms", "10000")
                    .setConfigProp("group.consumer.min.heartbeat.interval.ms", "1000")
                    .setConfigProp("group.consumer.heartbeat.interval.ms", "2000")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            bootstrapServers = cluster.bootstrapServers();
            TopicProvisioner.ensureTopics(bootstrapServers, TopicProvisioner.DEFAULT_PARTITIONS, (short) 1);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }, "test-kafka-stop"));
        System.out.printf("[test-support] Kafka broker ready at %s in %d ms%n", bootstrapServers,
                (System.nanoTime() - started) / 1_000_000);
    }
}
