package dev.rollwatch.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the golden fixtures under {@code src/main/resources/golden/v1/}: one realistic event per type (plus a
 * few variants that exercise absent fields), with fixed ids, times and subjects, as the exact bytes
 * {@link EventCodec#encode} produces.
 *
 * <p>Not a test. The fixtures are frozen data: a later change to the contract must keep them parsing, so this
 * writer only adds files that are missing and refuses to change an existing one (it reports the difference and
 * exits non-zero). To add a fixture for a new type, add it to {@link #fixtures()} and run, from {@code events/}:
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.rollwatch.events.GoldenFixtureWriter
 * </pre>
 *
 * A fixture of a later major version goes under {@code golden/v<major>/}; the file name is the CloudEvents type,
 * optionally followed by {@code --<variant>}, then {@code .json}.
 */
public final class GoldenFixtureWriter {

    /** The deployment that breaches and is rolled back. */
    static final String CHECKOUT = "5f0c9a3e-2b7d-4e61-9a8f-3c4d2e1b0a97";
    /** The deployment that passes its go/no-go gate and succeeds. */
    static final String PAYMENTS = "0d93b6f1-7c2a-4e58-b1d4-86a5f2c3e907";
    /** The deployment an operator aborts. */
    static final String SEARCH = "a41e7c02-9d3b-4f8a-b6c5-1e2d3f4a5b6c";
    /** The deployment an operator rolls back by hand. */
    static final String INVENTORY = "c7e25a18-43f9-4b06-a2d7-5e81f0b93c64";
    /** The deployment whose 25 % phase fails its own criterion and steps back to 5 % (runbook 004). */
    static final String ORDERS = "2fea4495-f303-4719-8724-4686d58d7624";
    /** The deployment that goes down (P0), is rolled back, and whose restored version is not healthy either. */
    static final String SHIPPING = "c80fb498-5d90-4433-a624-9030e2f536ea";
    /** The deployment whose error rate of 1-5 % an hour in asks a person to decide (CONDITIONAL, runbook 001). */
    static final String ACCOUNTS = "5cad367b-e734-4b0b-b4b4-e327a07f8475";

    private static final String DEPLOY = Envelope.source("deploy-service");
    private static final String MONITOR = Envelope.source("monitor-service");
    private static final String ROLLBACK = Envelope.source("rollback-service");
    private static final String NOTIFIER = Envelope.source("notifier-service");
    private static final String AUDIT = Envelope.source("audit-service");

    private static final String CHECKOUT_STARTED_ID = "c1d6a8e4-3f2b-4a7c-9e15-0b8d7f6a5c41";
    private static final String CHECKOUT_STEP0_STARTED_ID = "7e2b9c14-5a6d-4f83-b0e1-9d2c3a4b5e6f";
    private static final String CHECKOUT_STEP1_COMPLETED_ID = "51b0e6d2-8a4c-4f1e-9b37-c2d8e4a6f019";
    private static final String CHECKOUT_STEP2_STARTED_ID = "e03f7a95-6c1b-4d28-8e4a-b9d2c7f16a38";
    private static final String BREACH_ID = "e8f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b";
    private static final String ROLLBACK_REQUESTED_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    private static final String ROLLBACK_COMPLETED_ID = "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c";
    private static final String PAYMENTS_FINISHED_ID = "0f1e2d3c-4b5a-4697-8877-66554433a2b1";
    private static final String ORDERS_STARTED_ID = "269e29f0-4a9d-4cae-9005-21416bb4f3b5";
    private static final String ORDERS_BREACH_ID = "7cae30d1-96ea-4863-b80f-c6bc296fe1dd";
    private static final String SHIPPING_BREACH_ID = "da0fdd92-6bd8-46bd-984e-06076c172d08";
    private static final String SHIPPING_ROLLBACK_REQUESTED_ID = "104a54f8-1e79-4f86-ae0d-3e54f5296b71";
    private static final String SHIPPING_ROLLBACK_COMPLETED_ID = "a55441d4-8766-4d70-a6c9-1a46b553fb1f";
    private static final String ACCOUNTS_BREACH_ID = "94b6856d-19ad-4b66-80a3-a1df9b409f76";

    private GoldenFixtureWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/main/resources/golden/v1");
        Files.createDirectories(dir);
        int written = 0;
        int conflicts = 0;
        for (Map.Entry<String, Envelope<?>> fixture : fixtures().entrySet()) {
            Path file = dir.resolve(fixture.getKey() + ".json");
            byte[] bytes = EventCodec.encode(fixture.getValue());
            if (Files.exists(file)) {
                if (!Arrays.equals(Files.readAllBytes(file), bytes)) {
                    System.err.println("frozen fixture differs, not overwritten: " + file);
                    conflicts++;
                }
                continue;
            }
            Files.write(file, bytes);
            System.out.println("wrote " + file);
            written++;
        }
        System.out.println(written + " written, " + conflicts + " conflicting");
        if (conflicts > 0) {
            System.exit(1);
        }
    }

    /** File name (without {@code .json}) to event, in flow order. */
    static Map<String, Envelope<?>> fixtures() {
        Map<String, Envelope<?>> f = new LinkedHashMap<>();

        // --- checkout 2.4.0: canary, smoke, analysis, breach, automatic rollback ---------------------------
        f.put(name(EventType.DEPLOYMENT_STARTED, null), event(CHECKOUT_STARTED_ID, DEPLOY, CHECKOUT,
                "2026-03-02T14:00:00.004211Z", null, new DeploymentStarted("checkout", "production", "2.4.0",
                        "2.3.1", new Target("http", "http://127.0.0.1:8090", "http://127.0.0.1:8090/metrics"),
                        List.of(StepSpec.setWeight(5),
                                StepSpec.smoke(List.of(
                                        new SmokeCheck("http://127.0.0.1:8090/health", "GET", 200, null,
                                                Duration.ofSeconds(2), 2),
                                        new SmokeCheck("http://127.0.0.1:8090/api/v1/cart/health", "GET", 200,
                                                "\"status\":\"UP\"", Duration.ofMillis(1500), 0))),
                                StepSpec.analysis(Duration.ofMinutes(2)),
                                StepSpec.setWeight(25),
                                StepSpec.pause(Duration.ofMinutes(10)),
                                StepSpec.pause(null),
                                StepSpec.setWeight(100)),
                        new AnalysisSpec(List.of(
                                new CheckSpec("error-rate", "scrape", "error_rate", null, null, 0.01,
                                        Duration.ofSeconds(5), Duration.ofSeconds(30), 2, 3, Severity.P1),
                                new CheckSpec("p95-latency", "scrape", "http_request_duration_seconds_p95", null,
                                        null, 0.5, Duration.ofSeconds(10), Duration.ofMinutes(1), 3, 3,
                                        Severity.P2),
                                new CheckSpec("success-rate", "prometheus", "success_rate",
                                        "sum(rate(http_requests_total{service=\"checkout\",code!~\"5..\"}[1m]))"
                                                + " / sum(rate(http_requests_total{service=\"checkout\"}[1m]))",
                                        0.999, null, Duration.ofSeconds(15), Duration.ofMinutes(1), 2, 5,
                                        Severity.P2))),
                        "alice")));

        f.put(name(EventType.STEP_STARTED, null), event(CHECKOUT_STEP2_STARTED_ID, DEPLOY, CHECKOUT,
                "2026-03-02T14:00:15.302118Z", CHECKOUT_STEP1_COMPLETED_ID,
                new StepStarted(2, StepKind.ANALYSIS, null, Instant.parse("2026-03-02T14:02:15.302118Z"))));

        f.put(name(EventType.STEP_COMPLETED, null), event("2a8f6d3c-1b9e-4c75-8d04-6e5f4a3b2c1d", DEPLOY,
                CHECKOUT, "2026-03-02T14:00:00.196540Z", CHECKOUT_STEP0_STARTED_ID,
                new StepCompleted(0, StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 5, 184,
                        "2.4.0 takes 5% of traffic")));

        f.put(name(EventType.THRESHOLD_BREACHED, null), event(BREACH_ID, MONITOR, CHECKOUT,
                "2026-03-02T14:01:02.261374Z", CHECKOUT_STARTED_ID,
                new ThresholdBreached("checkout", "production", "2.4.0", "error-rate", "error_rate",
                        "rate(http_requests_total{code=~\"5..\"}[30s]) / rate(http_requests_total[30s])",
                        List.of(0.0187, 0.0342), 0.01, Operator.GT, Duration.ofSeconds(30), Severity.P1, 2, 2,
                        Instant.parse("2026-03-02T14:01:02.250Z"), 2)));

        f.put(name(EventType.ANALYSIS_COMPLETED, null), event("4d7e1f2a-6b3c-4d5e-9f80-1a2b3c4d5e6f", MONITOR,
                CHECKOUT, "2026-03-02T14:01:02.263907Z", CHECKOUT_STEP2_STARTED_ID,
                new AnalysisCompleted(2, Verdict.FAILED, List.of(
                        new CheckResult("error-rate", "error_rate", Verdict.FAILED, 0.0342, null, 0.01, 10, 2,
                                "error_rate 0.0342 > 0.01 in 2 of 10 measurements (failure limit 2)"),
                        new CheckResult("p95-latency", "http_request_duration_seconds_p95", Verdict.SUCCESSFUL,
                                0.231, null, 0.5, 5, 0, null),
                        new CheckResult("success-rate", "success_rate", Verdict.INCONCLUSIVE, null, 0.999, null, 0,
                                0, "no samples yet: window PT1M not filled")))));

        f.put(name(EventType.ROLLBACK_REQUESTED, null), event(ROLLBACK_REQUESTED_ID, ROLLBACK, CHECKOUT,
                "2026-03-02T14:01:02.270518Z", BREACH_ID,
                new RollbackRequested("checkout", "production", Trigger.AUTOMATIC,
                        "P1 error-rate breached: error_rate 0.0342 > 0.01 (2 of 2 failures)", List.of(BREACH_ID),
                        "p1-immediate", 1, "2.4.0", "2.3.1", "rollback-service",
                        Instant.parse("2026-03-02T14:01:02.250Z"))));

        f.put(name(EventType.ROLLBACK_COMPLETED, null), event(ROLLBACK_COMPLETED_ID, DEPLOY, CHECKOUT,
                "2026-03-02T14:01:04.112734Z", ROLLBACK_REQUESTED_ID,
                new RollbackCompleted("checkout", "production", RollbackOutcome.SUCCEEDED, "2.3.1", 1842, 1862L,
                        "target reports 2.3.1 at 100%, 2.4.0 at 0%")));

        f.put(name(EventType.DEPLOYMENT_FINISHED, null), event("8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d", DEPLOY,
                CHECKOUT, "2026-03-02T14:01:04.120455Z", ROLLBACK_COMPLETED_ID,
                new DeploymentFinished(DeploymentOutcome.ROLLED_BACK,
                        new DeploymentSummary("checkout", "production", "2.4.0", "2.3.1", 7, 2, 100, 0, 64116,
                                "rolled back: P1 error-rate breached during step 2 (analysis)"))));

        f.put(name(EventType.NOTIFICATION_DELIVERED, null), event("d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a",
                NOTIFIER, CHECKOUT, "2026-03-02T14:01:02.498713Z", BREACH_ID,
                new NotificationDelivered("checkout-oncall", "webhook", BREACH_ID,
                        EventType.THRESHOLD_BREACHED.type(), 1, "DELIVERED",
                        Instant.parse("2026-03-02T14:01:02.497902Z"))));

        f.put(name(EventType.NOTIFICATION_FAILED, null), event("f6a7b8c9-d0e1-4f2a-b3c4-d5e6f7a8b9c0", NOTIFIER,
                CHECKOUT, "2026-03-02T14:03:47.815266Z", ROLLBACK_REQUESTED_ID,
                new NotificationFailed("checkout-team-mail", "email", ROLLBACK_REQUESTED_ID,
                        EventType.ROLLBACK_REQUESTED.type(), 5, "FAILED",
                        "421 4.7.0 mail.example.com service not available; gave up after 5 attempts")));

        // --- payments 1.8.0: the go/no-go gate is approved, the rollout succeeds --------------------------
        f.put(name(EventType.STEP_STARTED, "open-ended-pause"), event("9b3c2d1e-0f4a-4b5c-8d6e-7f8091a2b3c4",
                DEPLOY, PAYMENTS, "2026-03-03T09:12:40.551920Z", "2d6e8f1a-3b5c-4e7d-9f0a-1b2c3d4e5f60",
                new StepStarted(5, StepKind.PAUSE, null, null)));

        f.put(name(EventType.APPROVAL_GRANTED, null), event("1e2f3a4b-5c6d-4e7f-a081-92a3b4c5d6e7", DEPLOY,
                PAYMENTS, "2026-03-03T09:31:05.004377Z", null,
                new ApprovalGranted(5, "carol", Instant.parse("2026-03-03T09:31:05.001Z"),
                        "dashboards clean after the 10 minute bake at 25%")));

        f.put(name(EventType.DEPLOYMENT_FINISHED, "succeeded"), event("0f1e2d3c-4b5a-4697-8877-66554433a2b1",
                DEPLOY, PAYMENTS, "2026-03-03T09:33:12.640018Z", "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                new DeploymentFinished(DeploymentOutcome.SUCCEEDED,
                        new DeploymentSummary("payments", "production", "1.8.0", "1.8.0", 7, 7, 100, 100,
                                1_512_377, null))));

        // --- search 3.1.0: the analysis cannot measure, an operator aborts ------------------------------------
        f.put(name(EventType.ANALYSIS_COMPLETED, "error"), event("5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716", MONITOR,
                SEARCH, "2026-03-04T16:17:31.118604Z", "8c7b6a59-4837-4261-9f0e-d1c2b3a49586",
                new AnalysisCompleted(2, Verdict.ERROR, List.of(
                        new CheckResult("error-rate", "error_rate", Verdict.ERROR, null, null, 0.01, 0, 0,
                                "scrape of http://127.0.0.1:8090/metrics failed 3 times in a row:"
                                        + " connection refused")))));

        f.put(name(EventType.DEPLOYMENT_ABORTED, null), event("b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", DEPLOY,
                SEARCH, "2026-03-04T16:20:11.730015Z", null,
                new DeploymentAborted("dave", Instant.parse("2026-03-04T16:20:11.728Z"),
                        "analysis errored: 3.1.0 exposes no metrics; rebuilding with the exporter")));

        // --- inventory 5.2.0: rolled back by hand ----------------------------------------------------------
        f.put(name(EventType.ROLLBACK_REQUESTED, "manual"), event("2b4d6f8a-1c3e-4a5b-8d7f-9e0a1b2c3d4e",
                ROLLBACK, INVENTORY, "2026-03-05T11:45:09.902233Z", null,
                new RollbackRequested("inventory", "production", Trigger.MANUAL,
                        "customers report stale stock counts", List.of(), null, null, "5.2.0", "5.1.4", "erin",
                        null)));

        f.put(name(EventType.ROLLBACK_COMPLETED, "manual"), event("4f6a8c0e-2d4b-4f6a-9c8e-0b2d4f6a8c0e", DEPLOY,
                INVENTORY, "2026-03-05T11:45:12.337561Z", "2b4d6f8a-1c3e-4a5b-8d7f-9e0a1b2c3d4e",
                new RollbackCompleted("inventory", "production", RollbackOutcome.SUCCEEDED, "5.1.4", 2435, null,
                        null)));

        // --- rollback-service: decisions that roll nothing back, escalation, policy change ----------------------
        f.put(name(EventType.ROLLBACK_DECIDED, null), event("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", ROLLBACK,
                CHECKOUT, "2026-03-02T14:00:41.118204Z", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                new RollbackDecided("checkout", "production", "1c9e7a53-4b2d-4f60-9e8a-7d6c5b4a3f21",
                        RollbackDecided.ALERT, "p2-below-repeat-limit",
                        "P2 breach of p95-latency: http_request_duration_seconds_p95 0.73 > 0.5; occurrence 1 of 3"
                                + " within 5m: alert only", Severity.P2, "p95-latency", 1L, 1,
                        "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", null)));

        f.put(name(EventType.ROLLBACK_DECIDED, "attached"), event("b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e",
                ROLLBACK, CHECKOUT, "2026-03-02T14:01:03.402771Z", "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9",
                new RollbackDecided("checkout", "production", "2e8d6c4b-3a19-4f70-8d6e-5c4b3a291807",
                        RollbackDecided.ATTACHED, "rollback-already-requested",
                        "P1 breach of success-rate: success_rate 0.981 < 0.999; attached to the rollback already"
                                + " requested for this deployment", Severity.P1, "success-rate", 1L, 1,
                        "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9", "7f3a1c5e-9b2d-4e84-a6c0-3d5e7f9a1b2c")));

        f.put(name(EventType.ROLLBACK_ESCALATED, null), event("c3d4e5f6-a7b8-4c9d-8e0f-a1b2c3d4e5f6", ROLLBACK,
                INVENTORY, "2026-03-05T11:47:10.004518Z", "2b4d6f8a-1c3e-4a5b-8d7f-9e0a1b2c3d4e",
                new RollbackEscalated("inventory", "production", "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
                        "2b4d6f8a-1c3e-4a5b-8d7f-9e0a1b2c3d4e", RollbackEscalated.RULE_DEADLINE_EXCEEDED,
                        Severity.P1, Instant.parse("2026-03-05T11:45:09.902233Z"),
                        Instant.parse("2026-03-05T11:47:09.902233Z"), Instant.parse("2026-03-05T11:47:10.003Z"),
                        "5.1.4", "no RollbackCompleted 2m after the rollback was requested (deadline 2m)")));

        f.put(name(EventType.POLICY_CHANGED, null), new Envelope<>("e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b8", ROLLBACK,
                EventType.POLICY_CHANGED, PolicyChanged.key("ledger", "*"),
                Instant.parse("2026-03-06T08:30:00.512907Z"), null, PolicyChanged.key("ledger", "*"),
                PolicyChanged.key("ledger", "*"),
                new PolicyChanged("ledger", "*", 7L, 2, new PolicyContent("ROLLBACK", "CONDITIONAL", "NOTIFY", 3,
                        Duration.ofMinutes(5), true, true, Duration.ofMinutes(2)), "dba",
                        "database migration running: hold rollbacks", Instant.parse("2026-03-06T08:30:00.511Z"))));

        f.put(name(EventType.AUDIT_CHECKPOINTED, null), new Envelope<>("a8b9c0d1-e2f3-4a5b-9c6d-7e8f9a0b1c2d", AUDIT,
                EventType.AUDIT_CHECKPOINTED, AuditCheckpointed.KEY, Instant.parse("2026-03-06T09:00:00.021334Z"),
                null, AuditCheckpointed.KEY, AuditCheckpointed.KEY,
                new AuditCheckpointed(1042, "b7842b0883a19f94be96ffb216782315ffd4615d4664e15527582e31fa8c6cbc",
                        "audit-2026-03", "Ed25519",
                        "mZ9P+kWnsHqql/0hVqoS8fK5mH1WLPvorAtysqGsN/VJYexWuDKdeYIlmsmAnGRgbxtAnlIbxNBjtPmw0NTAPg==",
                        Instant.parse("2026-03-06T09:00:00.019Z"))));

        f.put(name(EventType.THRESHOLD_BREACHED, "baseline"), event("9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2e", MONITOR,
                PAYMENTS, "2026-03-03T09:12:40.118532Z", null,
                new ThresholdBreached("payments", "production", "7.2.0", "p95-vs-stable", "http_request_duration_seconds_p95",
                        null, List.of(1.62, 1.71), 1.5, Operator.GT, Duration.ofMinutes(1), Severity.P2, 2, 2,
                        Instant.parse("2026-03-03T09:12:40.100Z"), 1, Measure.BASELINE_RATIO, 0.212,
                        "sha256:4f1c2a9e0b7d")));

        f.put(name(EventType.THRESHOLD_RECOVERED, null), event("0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3f", MONITOR,
                PAYMENTS, "2026-03-03T09:14:10.502117Z", "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2e",
                new ThresholdRecovered("payments", "production", "7.2.0", "p95-vs-stable",
                        "http_request_duration_seconds_p95", "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2e",
                        Instant.parse("2026-03-03T09:12:40.100Z"), Instant.parse("2026-03-03T09:14:10.480Z"),
                        List.of(1.21, 1.08), 1.5, Operator.GT, Severity.P2, 1)));

        f.put(name(EventType.SAMPLES_REPORTED, null), new Envelope<>("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                Envelope.source("demo-target"), EventType.SAMPLES_REPORTED, CHECKOUT,
                Instant.parse("2026-03-02T14:01:02.180004Z"), null, CHECKOUT, CHECKOUT,
                new SamplesReported(CHECKOUT, List.of(
                        new MetricSample("error_rate", 0.0342, Instant.parse("2026-03-02T14:01:02.150Z"), null),
                        new MetricSample("error_rate", 0.0009, Instant.parse("2026-03-02T14:01:02.150Z"), "2.3.0"),
                        new MetricSample("queue_size", 212, null, null)))));
        // --- issue 15: the runbooks' judgement (added in v1, additive) -------------------------------------------

        // search 3.1.0: the analysis step that could not measure ends FAILED with verdict ERROR, never silent
        f.put(name(EventType.STEP_COMPLETED, "analysis-error"), event("e996167f-5d6e-49c8-a1e6-cfeca524393b",
                DEPLOY, SEARCH, "2026-03-04T16:17:31.124507Z", "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716",
                new StepCompleted(2, StepKind.ANALYSIS, StepOutcome.FAILED, 5, 120_012,
                        "analysis ERROR: error-rate could not be measured (scrape of http://127.0.0.1:8090/metrics"
                                + " failed 3 times in a row: connection refused)", Verdict.ERROR)));

        // checkout 2.4.0: the restored 2.3.1 stays healthy for the 30 minute verification
        f.put(name(EventType.ROLLBACK_VERIFIED, null), event("0452a970-de8b-4830-8937-1f30df95bf83", MONITOR,
                CHECKOUT, "2026-03-02T14:31:04.130877Z", ROLLBACK_COMPLETED_ID,
                new RollbackVerified("checkout", "production", "2.3.1", RollbackVerified.VERIFIED,
                        Duration.ofMinutes(30), Instant.parse("2026-03-02T14:01:04.112Z"),
                        Instant.parse("2026-03-02T14:31:04.120Z"), null,
                        "2.3.1 stayed within every check for 30m: error_rate at most 0.0011", List.of(
                                new CheckResult("error-rate", "error_rate", Verdict.SUCCESSFUL, 0.0008, null, 0.01,
                                        360, 0, null),
                                new CheckResult("p95-latency", "http_request_duration_seconds_p95",
                                        Verdict.SUCCESSFUL, 0.198, null, 0.5, 180, 0, null),
                                new CheckResult("success-rate", "success_rate", Verdict.SUCCESSFUL, 0.9993, 0.999,
                                        null, 120, 0, null)))));

        // inventory 5.2.0: the version rolled back to by hand fails its verification
        f.put(name(EventType.ROLLBACK_VERIFIED, "unverified"), event("3eec733b-11d1-4201-b656-80b671b67b62",
                MONITOR, INVENTORY, "2026-03-05T11:52:40.318226Z", "4f6a8c0e-2d4b-4f6a-9c8e-0b2d4f6a8c0e",
                new RollbackVerified("inventory", "production", "5.1.4", RollbackVerified.UNVERIFIED,
                        Duration.ofMinutes(30), Instant.parse("2026-03-05T11:45:12.337Z"),
                        Instant.parse("2026-03-05T11:52:40.301Z"), "error-rate",
                        "error_rate 0.031 > 0.01 on the restored 5.1.4, 7m28s into the 30m verification: the"
                                + " incident is still on", List.of(
                                new CheckResult("error-rate", "error_rate", Verdict.FAILED, 0.031, null, 0.01, 90, 2,
                                        "error_rate 0.031 > 0.01 in 2 of 90 measurements (failure limit 2)")))));

        // payments 1.8.0: the go/no-go gate asks an operator, then the bake window after SUCCEEDED
        f.put(name(EventType.APPROVAL_REQUESTED, null), event("aa9e9d9e-31bf-46f2-a51f-b06c22a4e8bf", DEPLOY,
                PAYMENTS, "2026-03-03T09:12:40.553804Z", "9b3c2d1e-0f4a-4b5c-8d6e-7f8091a2b3c4",
                new ApprovalRequested("payments", "production", "1.8.0", 5,
                        "go/no-go gate: step 5 (open-ended pause) waits for an operator to approve, promote or abort",
                        "operator", Instant.parse("2026-03-03T09:12:40.551Z"))));

        f.put(name(EventType.BAKE_CHECKPOINT, null), event("cc5c0822-0e77-4681-a825-c6edee5faa95", MONITOR,
                PAYMENTS, "2026-03-03T09:48:12.655301Z", PAYMENTS_FINISHED_ID,
                new BakeCheckpoint("payments", "production", "1.8.0", Duration.ofMinutes(15), 1, 3,
                        Duration.ofHours(1), Instant.parse("2026-03-03T09:33:12.640Z"), Verdict.SUCCESSFUL, false,
                        List.of(new CheckResult("error-rate", "error_rate", Verdict.SUCCESSFUL, 0.0007, null, 0.01,
                                        180, 0, null),
                                new CheckResult("p95-latency", "http_request_duration_seconds_p95",
                                        Verdict.SUCCESSFUL, 0.212, null, 0.5, 90, 0, null)))));

        f.put(name(EventType.BAKE_CHECKPOINT, "last"), event("2e1e785f-d8f2-4100-a2c1-0860861cc211", MONITOR,
                PAYMENTS, "2026-03-03T10:33:12.671408Z", PAYMENTS_FINISHED_ID,
                new BakeCheckpoint("payments", "production", "1.8.0", Duration.ofHours(1), 3, 3, Duration.ofHours(1),
                        Instant.parse("2026-03-03T09:33:12.640Z"), Verdict.SUCCESSFUL, true,
                        List.of(new CheckResult("error-rate", "error_rate", Verdict.SUCCESSFUL, 0.0009, null, 0.01,
                                        720, 0, null),
                                new CheckResult("p95-latency", "http_request_duration_seconds_p95",
                                        Verdict.SUCCESSFUL, 0.224, null, 0.5, 360, 0, null)))));

        // orders 4.0.0: per-phase criteria, authenticated smoke checks, step back instead of rollback (runbook 004)
        f.put(name(EventType.DEPLOYMENT_STARTED, "step-back"), event(ORDERS_STARTED_ID, DEPLOY, ORDERS,
                "2026-03-07T10:00:00.118342Z", null, new DeploymentStarted("orders", "production", "4.0.0", "3.9.2",
                        new Target("http", "http://127.0.0.1:8090", "http://127.0.0.1:8090/metrics"),
                        List.of(StepSpec.setWeight(5),
                                StepSpec.smoke(List.of(
                                        new SmokeCheck("http://127.0.0.1:8090/health", "GET", 200, null,
                                                Duration.ofSeconds(2), 2, null,
                                                Map.of("Content-Type", "application/json"),
                                                Map.of("/status", "UP", "/checks/database", "UP")),
                                        new SmokeCheck("http://127.0.0.1:8090/api/v1/orders/queue-metrics", "GET",
                                                200, null, Duration.ofMillis(500), 0,
                                                Map.of("Authorization", "${secret:ORDERS_SMOKE_TOKEN}"),
                                                Map.of("X-RateLimit-Limit", "100"),
                                                Map.of("/healthy", true, "/workers/running", 4)))),
                                StepSpec.analysis(Duration.ofMinutes(10), List.of(
                                        new CheckSpec("canary-error-rate", "scrape", "error_rate", null, null, 0.005,
                                                Duration.ofSeconds(5), Duration.ofMinutes(1), 3, 3, Severity.P1))),
                                StepSpec.setWeight(25),
                                StepSpec.analysis(Duration.ofMinutes(30), List.of(
                                        new CheckSpec("phase-error-rate", "scrape", "error_rate", null, null, 0.001,
                                                Duration.ofSeconds(5), Duration.ofMinutes(1), 3, 3, Severity.P1))),
                                StepSpec.setWeight(100),
                                StepSpec.analysis(Duration.ofMinutes(30), List.of(
                                        new CheckSpec("phase-error-rate", "scrape", "error_rate", null, null, 0.001,
                                                Duration.ofSeconds(5), Duration.ofMinutes(1), 3, 3, Severity.P1)))),
                        new AnalysisSpec(List.of(
                                new CheckSpec("error-rate", "scrape", "error_rate", null, null, 0.01,
                                        Duration.ofSeconds(5), Duration.ofSeconds(30), 2, 3, Severity.P1),
                                new CheckSpec("queue-size", "scrape", "queue_size", null, null, 1000.0,
                                        Duration.ofSeconds(5), Duration.ofSeconds(30), 2, 3, Severity.P1))),
                        "frank", DeploymentStarted.ON_FAILURE_STEP_BACK, DeploymentStarted.AFTER_STEP_BACK_PAUSE,
                        Duration.ofHours(1),
                        "hotfix for INC-4821 outside the Tuesday/Thursday window, approved by the release manager")));

        f.put(name(EventType.THRESHOLD_BREACHED, "criteria"), event(ORDERS_BREACH_ID, MONITOR, ORDERS,
                "2026-03-07T10:14:31.402277Z", ORDERS_STARTED_ID,
                new ThresholdBreached("orders", "production", "4.0.0", "phase-error-rate", "error_rate", null,
                        List.of(0.0013, 0.0016, 0.0014), 0.001, Operator.GT, Duration.ofMinutes(1), Severity.P1, 3, 3,
                        Instant.parse("2026-03-07T10:14:31.380Z"), 4, null, null, null,
                        ThresholdBreached.KIND_CRITERIA, ThresholdBreached.PHASE_ROLLOUT, 0.0009,
                        Instant.parse("2026-03-07T10:10:02.710Z"), Instant.parse("2026-03-07T10:00:00.118Z"))));

        f.put(name(EventType.ROLLBACK_COMPLETED, "stepped-back"), event("53e3603f-ee67-4bb5-9bac-97a2957b4626",
                DEPLOY, ORDERS, "2026-03-07T10:14:32.611084Z", "a21f9a94-7a98-42b3-82b6-0b24bf6b2af2",
                new RollbackCompleted("orders", "production", RollbackOutcome.STEPPED_BACK, null, 1187, 1231L,
                        "phase-error-rate failed at 25%: stepped back to 5% (onFailure stepBack), paused for an"
                                + " operator to retry or abort (afterStepBack pause)", 5, null)));

        // shipping 2.0.0: the target is down (P0), the rollback is done but the restored version is down too
        f.put(name(EventType.THRESHOLD_BREACHED, "unavailable"), event(SHIPPING_BREACH_ID, MONITOR, SHIPPING,
                "2026-03-08T13:22:40.551203Z", "9a31cfac-ec00-4c44-8e4a-caafd25fa619",
                new ThresholdBreached("shipping", "production", "2.0.0", "availability", "up", null, List.of(60.0),
                        60, Operator.GTE, Duration.ofMinutes(1), Severity.P0, 12, 12,
                        Instant.parse("2026-03-08T13:22:40.530Z"), 2, null, null, "builtin-v2",
                        ThresholdBreached.KIND_UNAVAILABLE, ThresholdBreached.PHASE_ROLLOUT, null,
                        Instant.parse("2026-03-08T13:20:07.902Z"), Instant.parse("2026-03-08T13:20:00.004Z"))));

        f.put(name(EventType.ROLLBACK_REQUESTED, "unavailable"), event(SHIPPING_ROLLBACK_REQUESTED_ID, ROLLBACK,
                SHIPPING, "2026-03-08T13:22:40.559871Z", SHIPPING_BREACH_ID,
                new RollbackRequested("shipping", "production", Trigger.AUTOMATIC,
                        "P0 availability: shipping 2.0.0 unreachable for 60 s (health: connection refused; metrics:"
                                + " connection refused)", List.of(SHIPPING_BREACH_ID), "target-unavailable", 1,
                        "2.0.0", "1.9.4", "rollback-service", Instant.parse("2026-03-08T13:22:40.530Z"), Severity.P0,
                        Instant.parse("2026-03-08T13:27:40.559Z"), "runbook@1",
                        "002 P0: application down, immediate rollback")));

        f.put(name(EventType.ROLLBACK_COMPLETED, "unverified"), event(SHIPPING_ROLLBACK_COMPLETED_ID, DEPLOY,
                SHIPPING, "2026-03-08T13:22:43.020518Z", SHIPPING_ROLLBACK_REQUESTED_ID,
                new RollbackCompleted("shipping", "production", RollbackOutcome.UNVERIFIED, "1.9.4", 2461, 2490L,
                        "target reports 1.9.4 at 100%, 2.0.0 at 0%; the health probe of 1.9.4 failed", null,
                        "GET http://127.0.0.1:8090/health?version=1.9.4: 503 Service Unavailable after 3 attempts")));

        f.put(name(EventType.ROLLBACK_ESCALATED, "unverified"), event("e72a7478-16e5-4ac7-ad33-2a6ed1e70140",
                ROLLBACK, SHIPPING, "2026-03-08T13:22:43.031447Z", SHIPPING_ROLLBACK_COMPLETED_ID,
                new RollbackEscalated("shipping", "production", "797782ed-7364-4358-8bb3-7a9fad9cf046",
                        SHIPPING_ROLLBACK_COMPLETED_ID, RollbackEscalated.RULE_UNVERIFIED, Severity.P0,
                        Instant.parse("2026-03-08T13:22:40.559871Z"), null, Instant.parse("2026-03-08T13:22:43.030Z"),
                        "1.9.4", "rollback to 1.9.4 completed UNVERIFIED: its health probe answered 503 after 3"
                                + " attempts; the incident is still on")));

        // accounts 3.2.0: 2.3 % errors and growing in the bake window, 1h10m in: a person decides (runbook 001)
        f.put(name(EventType.THRESHOLD_BREACHED, "bake"), event(ACCOUNTS_BREACH_ID, MONITOR, ACCOUNTS,
                "2026-03-09T09:10:12.884016Z", "c37349c1-418c-4b01-a4ca-7db9aec2b577",
                new ThresholdBreached("accounts", "production", "3.2.0", "error-rate", "error_rate", null,
                        List.of(0.0212, 0.0231), 0.01, Operator.GT, Duration.ofSeconds(30), Severity.P1, 2, 2,
                        Instant.parse("2026-03-09T09:10:12.870Z"), null, null, null, "builtin-v2",
                        ThresholdBreached.KIND_THRESHOLD, ThresholdBreached.PHASE_BAKE, 0.0125, null,
                        Instant.parse("2026-03-09T08:00:00.207Z"))));

        f.put(name(EventType.ROLLBACK_DECIDED, "conditional"), event("50fcb14f-33b0-40d8-8892-37624ed902ec",
                ROLLBACK, ACCOUNTS, "2026-03-09T09:10:12.893550Z", ACCOUNTS_BREACH_ID,
                new RollbackDecided("accounts", "production", "c7e12f51-0b4b-4369-8897-1402b2b03c72",
                        RollbackDecided.CONDITIONAL, "error-rate-1-5-after-1h",
                        "P1 error-rate: error_rate 0.0231 > 0.01 (1-5 %) 1h10m after the deployment started, growing"
                                + " 1.25 %/h: an operator decides by 09:25:12 UTC, else it rolls back", Severity.P1,
                        "error-rate", 1L, 2, ACCOUNTS_BREACH_ID, null, Instant.parse("2026-03-09T09:25:12.893Z"),
                        Instant.parse("2026-03-09T09:25:12.893Z"), "operator", "ROLLBACK", "runbook@1",
                        "001 conditional: error rate 1-5 % after 1 hour")));
        return f;
    }

    private static String name(EventType type, String variant) {
        return variant == null ? type.type() : type.type() + "--" + variant;
    }

    private static <T extends EventData> Envelope<T> event(String id, String source, String deploymentId,
            String time, String causationId, T data) {
        return new Envelope<>(id, source, data.contractType(), deploymentId, Instant.parse(time), causationId,
                deploymentId, deploymentId, data);
    }
}
