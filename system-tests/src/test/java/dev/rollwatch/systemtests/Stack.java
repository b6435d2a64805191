package dev.rollwatch.systemtests;

import dev.rollwatch.testsupport.ServiceProcess;
import dev.rollwatch.testsupport.TestPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system, once per test JVM: a Kafka broker process ({@link KafkaBroker}, as {@code ./rollwatch up}
 * runs it) and a restartable PostgreSQL ({@link RestartablePostgres}), and every service started from its
 * packaged jar as a separate process pointed at them through the same environment variables
 * {@code ./rollwatch up} uses. Fault tests break and restart parts of it; {@link #shared()} hands the next test
 * class a stack whose every part is running and ready again.
 */
final class Stack implements AutoCloseable {

    static final List<String> SERVICES = List.of("deploy-service", "monitor-service", "rollback-service",
            "notifier-service", "audit-service", "demo-target");
    private static final Duration READY = Duration.ofMinutes(6);

    private static Stack shared;

    private final Map<String, ServiceProcess> processes = new LinkedHashMap<>();
    /** The web console ({@link #console()}): started only by the tests that use it, so no other test sees it. */
    private ServiceProcess console;
    /**
     * More instances of a module ({@link #extraInstance}): started only by the test that needs them (ScaleOutIT),
     * not in {@link #SERVICES}, stopped by {@link #stopExtraInstances()} at the end of that test class.
     */
    private final Map<String, ServiceProcess> extras = new LinkedHashMap<>();
    /** The environment every service is started with (the broker's and PostgreSQL's addresses, …). */
    private Map<String, String> env;
    private Path root;
    private Path logs;
    private KafkaBroker kafka;
    private RestartablePostgres postgres;

    /** The JVM's stack: started on first use, stopped when the JVM exits, repaired (dead parts restarted) on each call. */
    static synchronized Stack shared() throws Exception {
        if (shared == null) {
            long started = System.nanoTime();
            shared = start();
            Stack stack = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "system-tests-stack-stop"));
            System.out.printf("[system-tests] broker, PostgreSQL and every service healthy in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
        } else {
            shared.repair();
        }
        return shared;
    }

    private static Stack start() throws Exception {
        Path root = Path.of(System.getProperty("rollwatch.root", "..")).toAbsolutePath().normalize();
        Path work = root.resolve("system-tests/target/stack/" + Instant.now().toEpochMilli());
        Path logs = root.resolve("system-tests/target/service-logs");
        Stack stack = new Stack();
        stack.root = root;
        stack.logs = logs;
        try {
            CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> {
                try {
                    return KafkaBroker.start(root, work.resolve("kafka"), logs);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the Kafka broker: " + e.getMessage(), e);
                }
            });
            CompletableFuture<RestartablePostgres> db = CompletableFuture.supplyAsync(() -> {
                try {
                    return RestartablePostgres.start(root, work.resolve("pg"));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
                }
            });
            stack.kafka = kafka.join();
            stack.postgres = db.join();
            Map<String, String> env = stack.env = Map.of(
                    "ROLLWATCH_KAFKA_BOOTSTRAP", stack.kafka.bootstrap(),
                    "ROLLWATCH_DB_URL", stack.postgres.jdbcUrl(),
                    "ROLLWATCH_DB_USER", TestPostgres.USER,
                    "ROLLWATCH_DB_PASSWORD", TestPostgres.PASSWORD,
                    "ROLLWATCH_AUDIT_KEY_PATH", work.resolve("audit/checkpoint-key").toString(),
                    // The tests' targets, metrics endpoints and webhook receivers listen on 127.0.0.1 at ports
                    // chosen per run: loopback is allowed (production refuses it) and deployments may name their
                    // own target instead of a registered one (production requires registration).
                    "ROLLWATCH_OUTBOUND_ALLOW_LOOPBACK", "true",
                    "ROLLWATCH_DEPLOY_TARGETS_REQUIRE_REGISTRATION", "false");
            awaitJars(root);
            for (String module : SERVICES) {
                stack.processes.put(module, ServiceProcess.launch(root, module, env, logs, options(module)));
            }
            stack.awaitReady(stack.processes.values());
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /**
     * A service jar missing right now is usually being rebuilt by a concurrent build: wait for it a little while
     * (ServiceProcess.launch then fails with a clear message if it is still missing).
     */
    private static void awaitJars(Path root) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (String module : SERVICES) {
            Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            while (!Files.isRegularFile(jar) && System.nanoTime() < deadline) {
                System.out.println("[system-tests] waiting for " + jar + " (being rebuilt?)");
                Thread.sleep(5_000);
            }
        }
    }

    /**
     * Set (before the first {@link #shared()}) by the benchmarks, which send more changes from one identity than the
     * per-identity rate limit lets through (burst 60, then 10/s): the services start with it off. The tests keep it.
     */
    static final String NO_RATE_LIMIT = "rollwatch.system-tests.no-rate-limit";

    /** The monitor's bake window for deployments that do not name their own. */
    static final String MONITOR_BAKE_WINDOW = "5s";
    /** How long a target must stay unreachable before the monitor calls it an outage (P0). */
    static final String OUTAGE_DETECTION = "20s";
    /** How long the monitor watches a restored version before the rollback is VERIFIED. */
    static final String VERIFY_WINDOW = "20s";

    /**
     * Per-service options, the runbooks' windows shortened so that a run takes minutes (the defaults stay the
     * runbooks'; the rollback service's windows are shortened per scope by each test's policy instead):
     * <ul>
     * <li>watches of finished deployments stop after 5 s of bake instead of the runbooks' hour, so the hundreds of
     * deployments of one run are not all still scraped at its end (a deployment's own {@code bakeWindow} overrides it:
     * {@code BakeWindowIT}); bake checkpoints at 20 s and 40 s instead of 15/30/60 minutes;</li>
     * <li>a target unreachable for 20 s is an outage (default 1 minute), its health read every 2 s
     * ({@code OutageIT});</li>
     * <li>a restored version is verified for 20 s instead of 30 minutes ({@code UnverifiedRollbackIT}).</li>
     * </ul>
     * (Every service also trusts {@code TestTokens}: ServiceProcess passes that on.)
     */
    private static String[] options(String module) {
        List<String> options = new ArrayList<>();
        if ("monitor-service".equals(module)) {
            options.add("-Drollwatch.monitor.bake-window=" + MONITOR_BAKE_WINDOW);
            options.add("-Drollwatch.monitor.bake-checkpoints=20s,40s");
            options.add("-Drollwatch.monitor.outage-detection=" + OUTAGE_DETECTION);
            options.add("-Drollwatch.monitor.availability-interval=2s");
            options.add("-Drollwatch.monitor.verify-window=" + VERIFY_WINDOW);
        }
        if (Boolean.getBoolean(NO_RATE_LIMIT)) {
            options.add("-Drollwatch.security.rate-limit.enabled=false");
        }
        // A benchmark's extra JVM options for one service, e.g. a flight recording:
        // -Dstack.jvm-options.monitor-service="-XX:StartFlightRecording=duration=300s,filename=/tmp/monitor.jfr"
        String extra = System.getProperty("stack.jvm-options." + module, "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options.toArray(String[]::new);
    }

    /** The console's upstream names ({@code rollwatch.console.upstream.<name>}) and the modules they stand for. */
    private static final Map<String, String> CONSOLE_UPSTREAMS = Map.of("deploy", "deploy-service",
            "monitor", "monitor-service", "rollback", "rollback-service", "notifier", "notifier-service",
            "audit", "audit-service");

    /**
     * The web console (issue 18) as one more process: its packaged jar on a free port, trusting {@code TestTokens}
     * like the services, proxying {@code /api/<svc>/...} to this stack's services. Started on first use (not in
     * {@link #SERVICES}, so the other tests, the RSS report and {@link #rssKb()} see the stack they always saw);
     * restarted if it died; ready when this returns.
     */
    synchronized ServiceProcess console() throws Exception {
        if (console == null) {
            Path jar = root.resolve("console/target/quarkus-app/quarkus-run.jar");
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!Files.isRegularFile(jar) && System.nanoTime() < deadline) {
                System.out.println("[system-tests] waiting for " + jar + " (being rebuilt?)");
                Thread.sleep(5_000);
            }
            List<String> options = new ArrayList<>();
            CONSOLE_UPSTREAMS.forEach((name, module) -> options.add(
                    "-Drollwatch.console.upstream." + name + "=" + processes.get(module).url("")));
            console = ServiceProcess.launch(root, "console", Map.of(), logs, options.toArray(String[]::new));
        } else if (!console.isAlive()) {
            console.restart();
        }
        console.awaitReady(READY);
        return console;
    }

    /**
     * Instance {@code n} (2, 3, …) of {@code module} as one more process of this stack: the same jar, environment and
     * options as the first, on a free port of its own, logging to {@code <module>-<n>.log}; it shares the broker
     * (its consumer group: the partitions are split between the instances) and the database with the first.
     * Started on first use and restarted if it died; ready when this returns. Not in {@link #SERVICES}, so
     * {@link #get}, {@link #url} and {@link #rssKb()} still mean the first instance; {@link #stopExtraInstances()}
     * stops it.
     */
    synchronized ServiceProcess extraInstance(String module, int n) throws Exception {
        if (n < 2 || !SERVICES.contains(module)) {
            throw new IllegalArgumentException("instance " + n + " of " + module + ": the stack runs instance 1 of "
                    + SERVICES);
        }
        String name = module + "-" + n;
        ServiceProcess p = extras.get(name);
        if (p == null) {
            p = ServiceProcess.launch(root, module, name, env, logs, options(module));
            extras.put(name, p);
        } else if (!p.isAlive()) {
            p.restart();
        }
        p.awaitReady(READY);
        return p;
    }

    /**
     * Stops every extra instance (SIGTERM: they leave their consumer groups, so the first instances get their
     * partitions back at once) and forgets them: the next test class sees the usual stack.
     */
    synchronized void stopExtraInstances() {
        CompletableFuture.allOf(extras.values().stream().map(p -> CompletableFuture.runAsync(p::close))
                .toArray(CompletableFuture[]::new)).join();
        extras.clear();
    }

    ServiceProcess get(String module) {
        return processes.get(module);
    }

    String url(String module, String path) {
        return processes.get(module).url(path);
    }

    KafkaBroker kafka() {
        return kafka;
    }

    RestartablePostgres postgres() {
        return postgres;
    }

    /** SIGKILL the service, start the same jar again on its port and wait until it is ready. */
    void crashAndRestart(String module) throws Exception {
        ServiceProcess p = processes.get(module);
        p.kill();
        p.restart();
        p.awaitReady(READY);
    }

    /** Restarts whatever a previous test left dead, and waits until every service answers ready. */
    void repair() throws Exception {
        if (!kafka.isAlive()) {
            kafka.restart();
        }
        for (ServiceProcess p : processes.values()) {
            if (!p.isAlive()) {
                p.restart();
            }
        }
        awaitReady(processes.values());
        if (console != null && !console.isAlive()) {
            console.restart();
            console.awaitReady(READY);
        }
    }

    void awaitReady(Iterable<ServiceProcess> services) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceProcess p : services) {
            ready.add(CompletableFuture.runAsync(() -> {
                try {
                    p.awaitReady(READY);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    }

    /** Resident memory (kB) of every process: the services, the broker and PostgreSQL (postmaster + backends). */
    Map<String, Long> rssKb() {
        Map<String, Long> rss = new LinkedHashMap<>();
        processes.forEach((name, p) -> rss.put(name, p.rssKb()));
        rss.put("kafka", kafka == null ? -1 : kafka.rssKb());
        rss.put("postgres", postgres == null ? -1 : postgres.rssKb());
        return rss;
    }

    /**
     * The CPU time (ms, user + system) every process has used since it started, as {@link #rssKb()} names them, and
     * this JVM's own.
     */
    Map<String, Long> cpuMillis() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, p) -> cpu.put(name, Rss.cpuMillisOfProcess(p.pid())));
        cpu.put("kafka", kafka == null ? -1 : kafka.cpuMillis());
        cpu.put("postgres", postgres == null ? -1 : postgres.cpuMillis());
        cpu.put("the benchmark itself (load, operator, samplers)", Rss.cpuMillisOfProcess(ProcessHandle.current().pid()));
        return cpu;
    }

    /**
     * The proportional share (kB, PSS) of every process, as {@link #rssKb()} names them: shared pages divided among
     * the processes that map them, so the sum is what the stack occupies (PostgreSQL's shared buffers once, not once
     * per backend).
     */
    Map<String, Long> pssKb() {
        Map<String, Long> pss = new LinkedHashMap<>();
        processes.forEach((name, p) -> pss.put(name, Rss.pssOfProcess(p.pid())));
        pss.put("kafka", kafka == null ? -1 : kafka.pssKb());
        pss.put("postgres", postgres == null ? -1 : postgres.pssKb());
        return pss;
    }

    @Override
    public synchronized void close() {
        // In parallel: failsafe gives the test JVM only so long to exit (forkedProcessExitTimeoutInSeconds).
        List<ServiceProcess> all = new ArrayList<>(processes.values());
        all.addAll(extras.values());
        extras.clear();
        if (console != null) {
            all.add(console);
            console = null;
        }
        CompletableFuture.allOf(all.stream().map(p -> CompletableFuture.runAsync(p::close))
                .toArray(CompletableFuture[]::new)).join();
        processes.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
