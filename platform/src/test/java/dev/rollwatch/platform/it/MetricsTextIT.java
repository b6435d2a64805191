package dev.rollwatch.platform.it;

import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The /q/metrics text of a service built on platform (its outbox relay, Kafka clients, HTTP server, JVM, datasource)
 * is what Prometheus parses: {@code promtool check metrics} accepts it. Skipped where promtool is not installed
 * (./rollwatch test installs it in CI).
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class MetricsTextIT {

    static final String PROMTOOL = System.getProperty("rollwatch.promtool", "/usr/bin/promtool");

    @Test
    void promtoolAcceptsTheMetricsText() throws Exception {
        assumeTrue(new File(PROMTOOL).canExecute(), "promtool is not installed at " + PROMTOOL);
        // Some traffic first, so the HTTP server and outbox meters exist.
        given().contentType("text/plain").body("metrics").post("/it/events/metrics-text").then().statusCode(200);
        given().contentType("application/json").body("{\"weight\": 1e400}").post("/it/commands").then()
                .statusCode(400);
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(text).contains("rollwatch_outbox_published_total");

        Path file = Files.createTempFile("metrics", ".txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Result result = promtoolCheckMetrics(file);
        // 1: the text does not parse (Prometheus would drop the whole scrape). 3: lint findings only.
        assertThat(result.exit()).as("promtool check metrics on /q/metrics: %s", result.output()).isIn(0, 3);
        // Lint: Rollwatch's own meters follow the conventions (help text, units, suffixes). The libraries' names
        // (Kafka's *_time_ns_total, http_server_active_requests without help) are theirs and dashboards use them.
        // This promtool looks for a counter's HELP under its sample name (x_total); the writer puts it under the
        // counter's name (x), as OpenMetrics does, so every counter reads as "no help text": not a finding.
        assertThat(result.output().lines().filter(l -> l.startsWith("rollwatch_"))
                .filter(l -> !l.matches("rollwatch_\\w+_total no help text")).toList())
                .as("promtool lint findings on rollwatch_* meters").isEmpty();
    }

    record Result(int exit, String output) {
    }

    /** promtool's exit code and what it reports, with the offending line of a parse error. */
    static Result promtoolCheckMetrics(Path file) throws Exception {
        Process p = new ProcessBuilder(PROMTOOL, "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // "text format parsing error in line 82: …": show that line too
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("in line (\\d+)").matcher(out);
        String offending = line.find() ? "\nline " + line.group(1) + ": "
                + Files.readAllLines(file).get(Integer.parseInt(line.group(1)) - 1) : "";
        return new Result(p.exitValue(), out + offending);
    }
}
