package dev.rollwatch.systemtests;

import dev.rollwatch.testsupport.ServiceProcess;
import dev.rollwatch.testsupport.TestKafka;
import dev.rollwatch.testsupport.TestPostgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system for a test class: a real Kafka broker and a real PostgreSQL, and every service started from
 * its packaged jar as a separate process pointed at them through the same environment variables
 * {@code ./rollwatch up} uses.
 */
final class Stack implements AutoCloseable {

    static final List<String> SERVICES = List.of("deploy-service", "monitor-service", "rollback-service",
            "notifier-service", "audit-service", "demo-target");

    private final Map<String, ServiceProcess> processes = new LinkedHashMap<>();

    static Stack start() throws Exception {
        Path root = Path.of(System.getProperty("rollwatch.root", "..")).toAbsolutePath().normalize();
        CompletableFuture<String> kafka = CompletableFuture.supplyAsync(TestKafka::bootstrapServers);
        CompletableFuture<String> db = CompletableFuture.supplyAsync(TestPostgres::jdbcUrl);
        Map<String, String> env = Map.of(
                "ROLLWATCH_KAFKA_BOOTSTRAP", kafka.join(),
                "ROLLWATCH_DB_URL", db.join(),
                "ROLLWATCH_DB_USER", TestPostgres.USER,
                "ROLLWATCH_DB_PASSWORD", TestPostgres.PASSWORD);
        Path logs = root.resolve("system-tests/target/service-logs");
        Stack stack = new Stack();
        try {
            for (String module : SERVICES) {
                stack.processes.put(module, ServiceProcess.launch(root, module, env, logs));
            }
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            for (ServiceProcess p : stack.processes.values()) {
                ready.add(CompletableFuture.runAsync(() -> {
                    try {
                        p.awaitReady(Duration.ofSeconds(120));
                    } catch (Exception e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }));
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    ServiceProcess get(String module) {
        return processes.get(module);
    }

    String url(String module, String path) {
        return processes.get(module).url(path);
    }

    Map<String, Long> rssKb() {
        Map<String, Long> rss = new LinkedHashMap<>();
        processes.forEach((name, p) -> rss.put(name, p.rssKb()));
        return rss;
    }

    @Override
    public void close() {
        processes.values().forEach(ServiceProcess::close);
    }
}
