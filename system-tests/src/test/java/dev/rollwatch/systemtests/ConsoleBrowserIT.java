package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.ServiceProcess;
import dev.rollwatch.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18: the web console in a real browser (headless Chromium through Selenium, {@link Browser}) against the
 * whole stack — every service its own process, the console one more ({@link Stack#console()}). A user signs in by
 * pasting a token, opens a deployment while its canary is still healthy, makes the canary go bad, and watches —
 * without reloading — the error-rate chart mark the breach and the status become ROLLED_BACK, then reads the
 * rollback decision; the list shows the rolled-back row; an operator sees the policy editor and a deployer does
 * not; an auditor reads the audit chain. No token is ever in a URL or in the console's log, and the page logs no
 * error. Screenshots of the main pages go to {@code system-tests/target/screenshots/} (docs/console.md uses them).
 */
class ConsoleBrowserIT {

    /** How long the page may take to show what the API already answers. */
    private static final Duration UI = Duration.ofSeconds(30);
    /** A canary gone bad: scraped every 3 s, two failing samples, then the P0 rollback through three services. */
    private static final Duration ROLLBACK = Duration.ofMinutes(4);
    private static final String CHECK = "error-rate";

    private static Stack stack;
    private static Judgement j;
    private static ServiceProcess console;
    private static Path screenshots;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
        j = new Judgement(stack);
        console = stack.console();
        Path root = Path.of(System.getProperty("rollwatch.root", "..")).toAbsolutePath().normalize();
        screenshots = root.resolve("system-tests/target/screenshots");
    }

    @AfterAll
    static void noTokenInTheConsoleLog() {
        // (the log is read in the test too; this only prints where it is for a failing run)
        if (console != null) {
            System.out.println("[system-tests] console log: " + console.log);
        }
    }

    @Test
    void anOperatorWatchesABadCanaryRolledBackLiveAndADeployerCannotEditPolicies() throws Exception {
        String operator = TestTokens.builder().subject("olivia-operator").roles("operator").services("*").mint();
        String deployer = TestTokens.builder().subject("dan-deployer").roles("deployer").services("*").mint();
        String auditor = TestTokens.builder().subject("ada-auditor").roles("auditor").services("*").mint();
        String base = "http://127.0.0.1:" + console.port;

        String service = j.service("checkout");
        String version = j.version("3.1.0");
        // A policy of the scope, so that the policies page has a row to show (and the decision names its version).
        j.rollbackPolicy(service, "production", "{}", "");
        String id = j.started("""
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "3.0.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 20}, {"analysis": {"duration": "10m"}}, {"setWeight": 100}]},
                 "analysis": {"checks": [{"name": "%s", "provider": "scrape", "metric": "error_rate",
                                          "max": 0.01, "interval": "3s", "failureLimit": 2, "severity": "P0"}]}}
                """.formatted(service, version, j.targetUrl(), CHECK));

        try (Browser b = Browser.open(1280, 900, screenshots)) {
            try {
                // --- sign in as an operator by pasting a token ------------------------------------------------------
                b.go(base + "/");
                b.awaitVisible(testid("token-input"), UI);
                b.screenshot("sign-in");
                signIn(b, operator, "olivia-operator", "operator");
                assertThat(b.first(testid("nav-channels"))).as("channels are for admins: an operator has no link")
                        .isNull();

                // --- the deployment, opened while its canary is still healthy -----------------------------------------
                j.awaitStatus(id, Duration.ofSeconds(60), "RUNNING");
                b.go(base + "/#/deployments/" + id);
                b.script("window.__rollwatchNotReloaded = arguments[0];", id);
                b.await(UI, "the deployment's status RUNNING on the page",
                        d -> "RUNNING".equals(b.text(testid("deployment-status"))));
                By chart = By.cssSelector("[data-testid=metric-chart][data-check='" + CHECK + "']");
                b.awaitVisible(chart, UI);
                assertThat(Double.parseDouble(b.attribute(chart, "data-threshold"))).as("the chart's threshold line")
                        .isEqualTo(0.01);
                assertThat(b.attribute(chart, "data-breached")).as("no breach drawn while the canary is healthy")
                        .isNotEqualTo("true");
                assertThat(b.all(By.cssSelector("[data-testid=step][data-weight='20']"))).as("the 20 % step")
                        .isNotEmpty();
                assertThat(b.all(By.cssSelector("[data-testid=step][data-weight='100']"))).as("the 100 % step")
                        .isNotEmpty();
                awaitSeriesPoints(id, 3);
                assertThat(b.text(testid("deployment-status"))).as("still running before the canary goes bad")
                        .isEqualTo("RUNNING");
                b.screenshot("deployment-running");

                // --- the canary goes bad: the page follows, no reload -------------------------------------------------
                j.behave(version, "\"errorRate\": 0.3");
                b.await(ROLLBACK, "the chart of " + CHECK + " marking the breach (data-breached=true)",
                        d -> "true".equals(b.attribute(chart, "data-breached")));
                b.awaitVisible(By.cssSelector("[data-testid=breach][data-check='" + CHECK + "']"), UI);
                b.await(ROLLBACK, "the deployment's status ROLLED_BACK on the page",
                        d -> "ROLLED_BACK".equals(b.text(testid("deployment-status"))));
                assertThat(b.script("return window.__rollwatchNotReloaded;")).as("the page was never reloaded")
                        .isEqualTo(id);
                assertThat(j.status(id)).as("the API agrees").isEqualTo("ROLLED_BACK");
                b.await(UI, "the live event feed", d -> !b.all(By.cssSelector("[data-testid=event-feed] li")).isEmpty());

                // --- the decision: which rule, measured value against the threshold -----------------------------------
                JsonNode decision = j.awaitDecision(id, UI, "ROLLBACK", Judgement.action("ROLLBACK"));
                List<Double> observed = observedValues(id);
                b.awaitVisible(testid("decision"), UI);
                b.await(UI, "the decision's rule (" + decision.path("rule").asText() + ")",
                        d -> mentions(b.text(testid("decision-rule")), decision.path("rule").asText(),
                                Judgement.packRule(decision)));
                String measured = b.await(UI, "the measured value in the decision panel", d -> {
                    String text = b.text(testid("decision-measured"));
                    return text != null && !numbers(text).isEmpty() ? text : null;
                });
                assertThat(numbers(measured)).as("decision-measured '%s' shows a breaching value observed: %s",
                        measured, observed).anyMatch(shown -> observed.stream().anyMatch(v -> sameValue(shown, v)));
                String threshold = b.text(testid("decision-threshold"));
                assertThat(numbers(threshold == null ? "" : threshold)).as("decision-threshold '%s'", threshold)
                        .anyMatch(shown -> sameValue(shown, 0.01));
                assertThat(b.text(testid("decision-policy"))).as("decision-policy").isNotBlank();
                assertThat(b.first(testid("decision-notified"))).as("decision-notified").isNotNull();
                b.await(UI, "the detection-to-rollback time", d -> {
                    String text = b.text(testid("detection-to-rollback"));
                    return text != null && text.matches("(?s).*\\d.*");
                });
                b.script("window.scrollTo(0, 0);");
                b.screenshot("deployment");
                b.script("document.querySelector('[data-testid=decision]').scrollIntoView({block: 'center'});");
                b.screenshot("deployment-decision");

                // --- the same page on a phone ---------------------------------------------------------------------
                b.viewport(390, 844, true);
                b.script("window.scrollTo(0, 0);");
                b.awaitVisible(testid("deployment-status"), UI);
                b.screenshot("deployment-phone");
                b.viewport(1280, 900, false);

                // --- the list: the row, rolled back -----------------------------------------------------------------
                b.click(testid("nav-deployments"), UI);
                By row = By.cssSelector("[data-testid=deployment-row][data-id='" + id + "']");
                By rowStatus = By.cssSelector("[data-testid=deployment-row][data-id='" + id + "'] [data-testid=status]");
                b.awaitVisible(row, UI);
                b.await(UI, "the row's status ROLLED_BACK", d -> "ROLLED_BACK".equals(b.text(rowStatus)));
                assertThat(b.first(testid("filter-service"))).as("filter by service").isNotNull();
                assertThat(b.first(testid("filter-environment"))).as("filter by environment").isNotNull();
                assertThat(b.first(testid("filter-status"))).as("filter by status").isNotNull();
                b.screenshot("deployments");

                // --- policies: an operator may edit them --------------------------------------------------------------
                b.click(testid("nav-policies"), UI);
                b.await(UI, "policy rows", d -> !b.all(testid("policy")).isEmpty());
                b.awaitVisible(testid("policy-editor"), UI);
                b.screenshot("policies");

                // --- a deployer: no policy editor, no channels --------------------------------------------------------
                signOut(b);
                signIn(b, deployer, "dan-deployer", "deployer");
                assertThat(b.first(testid("nav-channels"))).as("a deployer has no channels link").isNull();
                b.click(testid("nav-policies"), UI);
                b.await(UI, "policy rows, for a deployer", d -> !b.all(testid("policy")).isEmpty());
                assertThat(b.all(testid("policy-editor"))).as("a deployer never sees the policy editor").isEmpty();

                // --- an auditor: the deployment's audit chain and the verify result --------------------------------
                signOut(b);
                signIn(b, auditor, "ada-auditor", "auditor");
                b.go(base + "/#/audit/" + id);
                b.await(UI, "the audit timeline",
                        d -> !b.all(By.cssSelector("[data-testid=audit-timeline] li")).isEmpty());
                b.awaitVisible(testid("audit-verify"), UI);
                b.await(UI, "the audit chain's head hash", d -> {
                    String head = b.text(testid("audit-head"));
                    return head != null && head.matches("(?s).*[0-9a-fA-F]{8}.*");
                });
                b.screenshot("audit");
            } catch (Throwable failure) {
                b.screenshot("failure");
                throw failure;
            }

            // --- never a token in a URL, nor in the console's log; no errors in the page's console ------------------
            List<String> tokens = List.of(operator, deployer, auditor);
            for (String url : b.urls()) {
                for (String token : tokens) {
                    assertThat(url).as("a URL the browser visited").doesNotContain(token)
                            .doesNotContain(signature(token));
                }
                assertThat(url.toLowerCase()).doesNotContain("token=").doesNotContain("bearer");
            }
            String consoleLog = Files.readString(console.log);
            for (String token : tokens) {
                assertThat(consoleLog).as("the console's log " + console.log).doesNotContain(signature(token));
            }
            assertThat(b.severe()).as("errors in the browser's console").isEmpty();
        } finally {
            j.heal(version);
            j.abortQuietly(id);
        }
    }

    // --- what a user does -------------------------------------------------------------------------------------------

    private static void signIn(Browser b, String token, String subject, String role) {
        b.awaitVisible(testid("token-input"), UI).sendKeys(token);
        b.click(testid("sign-in"), UI);
        b.await(UI, "signed in as " + subject + " (" + role + ")", d -> {
            String who = b.text(testid("whoami"));
            return who != null && who.contains(subject) && who.contains(role);
        });
    }

    private static void signOut(Browser b) {
        b.click(testid("sign-out"), UI);
        b.awaitVisible(testid("token-input"), UI);
        b.await(UI, "signed out (no one named in whoami)", d -> {
            String who = b.text(testid("whoami"));
            return who == null || who.isBlank() || b.first(testid("sign-out")) == null;
        });
    }

    // --- what the services know ------------------------------------------------------------------------------------

    /** Waits until the monitor has {@code n} points of the check for the chart (the canary healthy so far). */
    private static void awaitSeriesPoints(String id, int n) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Http.Reply series = Http.get(stack.url("monitor-service", "/api/v1/deployments/" + id + "/series"));
            assertThat(series.status()).as("GET monitor series: %s", series.body()).isEqualTo(200);
            JsonNode points = null;
            for (JsonNode check : series.body().path("checks")) {
                if (CHECK.equals(check.path("name").asText())) {
                    points = check.path("points");
                }
            }
            assertThat(points).as("the series of %s: %s", CHECK, series.body()).isNotNull();
            assertThat(points.size()).as("points of %s so far", CHECK).isGreaterThanOrEqualTo(n);
        });
    }

    /** The values the breaches of the deployment observed (ThresholdBreached.observed on Kafka). */
    private static List<Double> observedValues(String id) {
        List<Double> values = new ArrayList<>();
        for (JsonNode breach : j.events(Topics.THRESHOLD_BREACHED, id)) {
            breach.path("observed").forEach(v -> values.add(v.asDouble()));
        }
        assertThat(values).as("breaches of %s on Kafka", id).isNotEmpty();
        return values;
    }

    // --- reading the page ------------------------------------------------------------------------------------------

    private static By testid(String id) {
        return By.cssSelector("[data-testid=" + id + "]");
    }

    private static boolean mentions(String text, String... names) {
        if (text == null) {
            return false;
        }
        for (String name : names) {
            if (!name.isBlank() && text.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE]-?\\d+)?");

    /** The numbers written in a text, a percentage as its fraction too ("30 %" → 30 and 0.30). */
    static List<Double> numbers(String text) {
        List<Double> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            double v = Double.parseDouble(m.group());
            out.add(v);
            String rest = text.substring(m.end()).stripLeading();
            if (rest.startsWith("%")) {
                out.add(v / 100);
            }
        }
        return out;
    }

    /** Equal as shown: the page may round to three significant digits (0.3125 as 0.313, or as 31.3 %). */
    static boolean sameValue(double shown, double actual) {
        return Math.abs(shown - actual) <= Math.max(1e-9, Math.abs(actual) * 0.02);
    }

    private static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }
}
