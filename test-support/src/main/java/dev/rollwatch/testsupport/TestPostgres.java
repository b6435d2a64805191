package dev.rollwatch.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL server per test JVM (zonky embedded binaries from Maven Central), with a {@code rollwatch}
 * database. Each service migrates its own schema into it, as in production.
 */
public final class TestPostgres {

    public static final String DATABASE = "rollwatch";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static EmbeddedPostgres postgres;
    private static String jdbcUrl;

    private TestPostgres() {
    }

    public static synchronized String jdbcUrl() {
        if (jdbcUrl == null) {
            start();
        }
        return jdbcUrl;
    }

    public static synchronized int port() {
        jdbcUrl();
        return postgres.getPort();
    }

    private static void start() {
        long started = System.nanoTime();
        try {
            postgres = EmbeddedPostgres.builder().start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
                s.execute("ALTER USER " + USER + " WITH PASSWORD '" + PASSWORD + "'");
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start the test PostgreSQL", e);
        }
        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // the JVM is going away
            }
        }, "test-postgres-stop"));
        System.out.printf("[test-support] PostgreSQL ready at %s in %d ms%n", jdbcUrl,
                (System.nanoTime() - started) / 1_000_000);
    }
}
