package dev.rollwatch.systemtests;

import dev.rollwatch.testsupport.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * A real PostgreSQL (zonky embedded binaries) on a fixed port with a data directory that survives
 * {@link #restart()}: database {@code rollwatch}, user and password as {@link TestPostgres}. The server runs as
 * its own processes (postmaster and backends); this object only starts and stops it. Its server settings are
 * {@code ./rollwatch up}'s: {@code tools/infra/src/main/config/postgres-server.properties} (shared_buffers,
 * max_connections; docs/performance.md, "Memory").
 */
final class RestartablePostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Properties serverConfig;
    private EmbeddedPostgres postgres;

    private RestartablePostgres(Path dataDir, int port, Properties serverConfig) {
        this.dataDir = dataDir;
        this.port = port;
        this.serverConfig = serverConfig;
    }

    /** {@code root}: the repository, whose {@code tools/infra/src/main/config/postgres-server.properties} is read. */
    static RestartablePostgres start(Path root, Path dataDir) throws IOException, SQLException {
        Files.createDirectories(dataDir);
        Properties serverConfig = new Properties();
        try (var in = Files.newBufferedReader(root.resolve("tools/infra/src/main/config/postgres-server.properties"),
                StandardCharsets.UTF_8)) {
            serverConfig.load(in);
        }
        RestartablePostgres pg = new RestartablePostgres(dataDir, freePort(), serverConfig);
        pg.launch();
        try (Connection c = pg.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + TestPostgres.DATABASE);
            s.execute("ALTER USER " + TestPostgres.USER + " WITH PASSWORD '" + TestPostgres.PASSWORD + "'");
        }
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + TestPostgres.DATABASE;
    }

    /** Fast shutdown ({@code pg_ctl stop -m fast}: every connection is cut), then the same server starts again. */
    synchronized void restart() throws IOException {
        postgres.close();
        launch();
    }

    /** The postmaster's and its children's resident memory in kB (each summed whole), or -1. */
    long rssKb() {
        long postmaster = postmasterPid();
        return postmaster < 0 ? -1 : Rss.ofTree(postmaster);
    }

    /** The postmaster's and its children's proportional share in kB (shared buffers counted once), or -1. */
    long pssKb() {
        long postmaster = postmasterPid();
        return postmaster < 0 ? -1 : Rss.pssOfTree(postmaster);
    }

    /** The CPU time (ms) of the postmaster and its living backends and workers, or -1. */
    long cpuMillis() {
        long postmaster = postmasterPid();
        return postmaster < 0 ? -1 : Rss.cpuMillisOfTree(postmaster);
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8)
                    .get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // stopping at the end of the run
        }
    }

    private void launch() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.stringPropertyNames().forEach(key -> builder.setServerConfig(key, serverConfig.getProperty(key)));
        postgres = builder
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(false)
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
