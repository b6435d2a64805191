package dev.rollwatch.systemtests;

import dev.rollwatch.events.kafka.TopicProvisioner;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker as its own process, started exactly as {@code ./rollwatch up} starts it: {@code kafka.Kafka}
 * from {@code tools/infra/target/kafka-lib/*}, one KRaft node that is broker and controller, its storage formatted
 * with {@code kafka.tools.StorageTool} in a directory of its own, every topic provisioned with
 * {@link TopicProvisioner#ensureTopics}. {@link #kill()} is SIGKILL; {@link #restart()} starts it again on the same
 * ports with the same data, so what was acknowledged before the crash is still there.
 */
final class KafkaBroker implements AutoCloseable {

    private final Path root;
    private final Path dir;
    private final Path log;
    private final int port;
    private final int controllerPort;
    private volatile Process process;

    private KafkaBroker(Path root, Path dir, Path log, int port, int controllerPort) {
        this.root = root;
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh storage directory under {@code dir}, starts the broker and provisions the topics. */
    static KafkaBroker start(Path root, Path dir, Path logDir) throws IOException, InterruptedException {
        Path kafkaLib = root.resolve("tools/infra/target/kafka-lib");
        if (!Files.isDirectory(kafkaLib)) {
            throw new IllegalStateException(kafkaLib + " is missing: package tools/infra first (mvn package)");
        }
        Files.createDirectories(dir);
        Files.createDirectories(logDir);
        KafkaBroker broker = new KafkaBroker(root, dir, logDir.resolve("kafka.log"), freePort(), freePort());
        Files.deleteIfExists(broker.log);
        broker.writeConfig();
        broker.format();
        broker.launch();
        broker.awaitReady(Duration.ofSeconds(120));
        return broker;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: nothing is flushed, in-flight requests are cut off. Waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Kafka broker survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM: a controlled shutdown. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Starts the broker again on the same ports and data, and waits until it answers admin requests. */
    void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("the Kafka broker is still running: kill() or stop() it first");
        }
        launch();
        // Recovering its logs and group metadata on a loaded 2-core machine has taken 50 s before it listened.
        awaitReady(Duration.ofSeconds(240));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long rssKb() {
        return Rss.ofProcess(process.pid());
    }

    long pssKb() {
        return Rss.pssOfProcess(process.pid());
    }

    long cpuMillis() {
        return Rss.cpuMillisOfProcess(process.pid());
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void writeConfig() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("server.properties"), """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=%4$d
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                # A service killed without leaving its consumer group holds its partitions until its session expires (KIP-848
                # default 45 s): a restarted service, or the other instance, would wait that long. 10 s, heartbeats every 2 s.
                group.consumer.min.session.timeout.ms=6000
                group.consumer.session.timeout.ms=10000
                group.consumer.min.heartbeat.interval.ms=1000
                group.consumer.heartbeat.interval.ms=2000
                """.formatted(port, controllerPort, dir.resolve("data"), TopicProvisioner.DEFAULT_PARTITIONS));
    }

    private void format() throws IOException, InterruptedException {
        List<String> command = java("-Xmx256m", "-XX:+UseSerialGC");
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", dir.resolve("server.properties").toString()));
        Process format = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("cannot format the Kafka storage; see " + log);
        }
    }

    private void launch() throws IOException {
        // ./rollwatch up's JVM options for the broker: one file (docs/performance.md, "Memory").
        List<String> command = java("@" + root.resolve("tools/infra/src/main/config/kafka.jvm.options"),
                "-Dkafka.logs.dir=" + dir.resolve("logs"));
        command.addAll(List.of("kafka.Kafka", dir.resolve("server.properties").toString()));
        ProcessBuilder broker = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        broker.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // as ./rollwatch starts it
        process = broker.start();
    }

    private List<String> java(String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.add("-Dlog4j2.configurationFile="
                + root.resolve("tools/infra/src/main/config/kafka-log4j2.properties"));
        command.add("-cp");
        command.add(root.resolve("tools/infra/target/kafka-lib") + "/*");
        return command;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see " + log);
            }
            try {
                TopicProvisioner.ensureTopics(bootstrap(), TopicProvisioner.DEFAULT_PARTITIONS, (short) 1);
                return;
            } catch (RuntimeException notYet) {
                last = notYet;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the Kafka broker is not ready within " + timeout + "; see " + log, last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
