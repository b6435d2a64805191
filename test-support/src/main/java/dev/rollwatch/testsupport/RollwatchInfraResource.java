package dev.rollwatch.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Points a {@code @QuarkusTest} at the real broker and database of this JVM, starting both in parallel on first
 * use. Use with {@code @QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)}
 * or {@code @WithTestResource}.
 */
public class RollwatchInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        CompletableFuture<String> kafka = CompletableFuture.supplyAsync(TestKafka::bootstrapServers);
        CompletableFuture<String> db = CompletableFuture.supplyAsync(TestPostgres::jdbcUrl);
        DefaultTokenFilter.install();
        Map<String, String> config = new HashMap<>(TestTokens.serviceConfig());
        config.put("kafka.bootstrap.servers", kafka.join());
        config.put("quarkus.datasource.jdbc.url", db.join());
        config.put("quarkus.datasource.username", TestPostgres.USER);
        config.put("quarkus.datasource.password", TestPostgres.PASSWORD);
        return config;
    }

    @Override
    public void stop() {
        // Shared for the whole JVM; closed by shutdown hooks.
    }
}
