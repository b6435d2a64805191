package dev.rollwatch.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL (zonky embedded binaries from Maven Central) for {@code ./rollwatch up}.
 *
 * <p>Unlike the test resources, the data directory is persistent: it is created and initialised on the first run
 * and reused afterwards, so what the services stored survives {@code down}/{@code up}. The process prints one line
 * starting with {@value #READY_PREFIX} when the database accepts connections, then stays up until it gets SIGTERM,
 * when a shutdown hook stops PostgreSQL ({@code pg_ctl stop -m fast}).
 *
 * <p>Arguments: {@code --data-dir DIR} (default {@code var/pg}), {@code --port N} (default 5432),
 * {@code --database NAME} (default {@code rollwatch}), {@code --server-config FILE} (optional: a properties file of
 * server settings, each passed as {@code -c key=value}, e.g. {@code src/main/config/postgres-server.properties}). Launch with {@code -Djava.io.tmpdir=var/tmp} so the binaries
 * (about 60 MB) unpack inside the project. As root, zonky runs initdb and postgres under {@code unshare -U}.
 */
public final class EmbeddedPostgresMain {

    public static final String READY_PREFIX = "rollwatch-postgres ready:";
    private static final String USER = "postgres";
    private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of("var/pg");
        int port = 5432;
        String database = "rollwatch";
        Properties serverConfig = new Properties();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--database" -> database = value(args, ++i, "--database");
                case "--server-config" -> serverConfig = serverConfig(Path.of(value(args, ++i, "--server-config")));
                case "-h", "--help" -> {
                    System.out.println("usage: EmbeddedPostgresMain [--data-dir var/pg] [--port 5432] [--database rollwatch] [--server-config FILE]");
                    return;
                }
                default -> fail("unknown argument: " + args[i]);
            }
        }
        if (!DB_NAME.matcher(database).matches()) {
            fail("invalid database name: " + database);
        }
        run(dataDir.toAbsolutePath().normalize(), port, database, serverConfig);
    }

    /** Server settings from a properties file ({@code shared_buffers=32MB}, ...): each becomes {@code -c key=value}. */
    public static Properties serverConfig(Path file) throws IOException {
        Properties settings = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            settings.load(in);
        }
        return settings;
    }

    private static void run(Path dataDir, int port, String database, Properties serverConfig) throws Exception {
        Files.createDirectories(dataDir);

        stopOrphanedPostmaster(dataDir);
        if (!portFree(port)) {
            fail("port " + port + " is already in use: another PostgreSQL? (set ROLLWATCH_DB_URL to use it instead)");
        }

        boolean firstRun = !Files.exists(dataDir.resolve("postgresql.conf"));
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.stringPropertyNames().forEach(key -> builder.setServerConfig(key, serverConfig.getProperty(key)));
        EmbeddedPostgres postgres = builder
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(false)
                // zonky passes -F (fsync off); a persistent directory should survive a machine crash too.
                .setServerConfig("fsync", "on")
                .start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("rollwatch-postgres: stopping PostgreSQL (data kept in " + dataDir + ")");
            try {
                postgres.close();
                System.out.println("rollwatch-postgres: stopped");
            } catch (IOException | RuntimeException e) {
                System.err.println("rollwatch-postgres: could not stop PostgreSQL cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "rollwatch-postgres-stop"));

        boolean created = ensureDatabase(postgres, database);
        String version = serverVersion(postgres);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        System.out.printf("%s %s (user %s, PostgreSQL %s, data %s%s, database %s, %d ms, pid %d)%n",
                READY_PREFIX, jdbcUrl, USER, version, dataDir, firstRun ? " initialised" : " reused",
                created ? "created" : "exists", ms, postmasterPid(dataDir).orElse(-1L));
        System.out.flush();
        // The launcher only waits from now on: give back the heap the first run's unpacking used.
        System.gc();

        // Stay up until SIGTERM/SIGINT; the shutdown hook stops PostgreSQL.
        stopped.await();
    }

    private static boolean ensureDatabase(EmbeddedPostgres postgres, String database) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + database); // name validated against DB_NAME
            }
            return true;
        }
    }

    private static String serverVersion(EmbeddedPostgres postgres) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    /**
     * A postmaster left running by a killed launcher (postgres is a daemon of pg_ctl, it outlives the JVM) keeps the
     * port and the data directory: stop it with a fast shutdown before starting again.
     */
    private static void stopOrphanedPostmaster(Path dataDir) throws IOException, InterruptedException {
        Optional<Long> pid = postmasterPid(dataDir);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get());
        boolean isPostgres = process.filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().command())
                .map(cmd -> cmd.endsWith("/postgres"))
                .orElse(false);
        if (!isPostgres) {
            return; // stale postmaster.pid: postgres itself ignores it
        }
        System.out.println("rollwatch-postgres: stopping orphaned postmaster " + pid.get() + " of " + dataDir);
        new ProcessBuilder("kill", "-INT", pid.get().toString()).inheritIO().start().waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (process.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (process.get().isAlive()) {
            fail("orphaned postmaster " + pid.get() + " did not stop; stop it and retry");
        }
    }

    private static Optional<Long> postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            fail(name + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("rollwatch-postgres: " + message);
        System.exit(2);
    }
}
