package dev.rollwatch.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Rollwatch service (its {@code target/quarkus-app/quarkus-run.jar}) running as its own JVM process,
 * as in production. {@link #kill()} ends it with SIGKILL, the way a crash or an OOM killer does, and
 * {@link #restart()} starts the same jar again on the same port with the same environment, appending to the same log.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final String name;
    public final int port;
    public final Path log;
    private final Path jar;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private volatile Process process;

    private ServiceProcess(String name, int port, Path log, Path jar, Map<String, String> env, List<String> jvmOptions) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Starts {@code <root>/<module>/target/quarkus-app/quarkus-run.jar} on a free port with {@code env} added to
     * this JVM's environment (e.g. {@code ROLLWATCH_KAFKA_BOOTSTRAP}, {@code ROLLWATCH_DB_URL}); output goes to
     * {@code <logDir>/<module>.log}. {@code jvmOptions} come after the module's
     * {@code src/main/jvm/jvm.options} and before {@code -jar} (so they override it, e.g. {@code -Dkey=value}).
     */
    public static ServiceProcess launch(Path root, String module, Map<String, String> env, Path logDir,
            String... jvmOptions) throws IOException {
        return launch(root, module, module, env, logDir, jvmOptions);
    }

    /**
     * As {@link #launch(Path, String, Map, Path, String...)}, for one more instance of a module that already runs:
     * {@code name} (e.g. {@code deploy-service-2}) names it and its log, {@code <logDir>/<name>.log}, so the
     * first instance's log is left alone.
     */
    public static ServiceProcess launch(Path root, String module, String name, Map<String, String> env, Path logDir,
            String... jvmOptions) throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn package)");
        }
        Files.createDirectories(logDir);
        ServiceProcess p = new ServiceProcess(name, freePort(), logDir.resolve(name + ".log"), jar, env,
                List.of(jvmOptions));
        Files.deleteIfExists(p.log);
        p.start();
        return p;
    }

    private void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(memoryOptions(jar));
        command.add("-Dquarkus.http.port=" + port);
        command.addAll(TestTokens.jvmOptions());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        // At most two glibc malloc arenas, as ./rollwatch and the images set it: each of a JVM's ~90 threads would
        // otherwise get arenas of its own (docs/performance.md, "Memory").
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        process = pb.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, in-flight work is cut off. Waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 20 s");
        }
    }

    /** Starts the same jar again, same port, environment and options; call {@link #awaitReady} next. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running: kill() or close() it first");
        }
        start();
    }

    /** Polls {@code /q/health/ready} until it answers 200; fails at once, with the log's tail, if the process died. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log "
                        + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; log " + log + ":\n" + tail());
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Resident memory in kB from {@code /proc}, or -1 when unknown. */
    public long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not on Linux or already gone
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The module's JVM memory options as production runs it: {@code <module>/src/main/jvm/jvm.options}, a java
     * launcher argument file ({@code ./rollwatch up} and the Docker images pass the same file), so the tests measure
     * and exercise the heap, metaspace and code cache the service really gets. A module without one gets a 256 MB
     * heap and the serial collector.
     */
    static List<String> memoryOptions(Path jar) {
        // <module>/target/quarkus-app/quarkus-run.jar -> <module>/src/main/jvm/jvm.options
        Path options = jar.toAbsolutePath().getParent().getParent().getParent().resolve("src/main/jvm/jvm.options");
        return Files.isRegularFile(options) ? List.of("@" + options) : List.of("-Xmx256m", "-XX:+UseSerialGC");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
