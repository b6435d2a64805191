package dev.rollwatch.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.cli.http.ApiClient;

import java.time.Duration;

/**
 * The demo's deployments: canary 5% → analysis → 25% → analysis → 100% against demo-target, judged by the
 * monitor's scrape provider on the target's {@code /metrics} (error rate of the new version only).
 *
 * <p>Two kinds of judgement, as the runbooks have them (docs/runbook-policy.md):
 * <ul>
 * <li>the canary analysis carries the canary phase's own success criterion (runbook 004: error rate &lt; 0.5 % at
 * 5 %). A failed criterion is a breach of kind {@code criteria}, which the rollback service's runbook pack rolls
 * back at once: the millisecond path a bad canary takes;</li>
 * <li>the deployment's check, error rate over 1 % (P1), holds for every step. Under the runbooks a P1 alone is no
 * longer an immediate rollback: it pages and asks an operator (CONDITIONAL).</li>
 * </ul>
 * The 25 % step carries no criterion here although runbook 004 asks &lt; 0.1 % there: at demo-target's 200
 * requests/s a 5 s reading of a good version (0.1 % errors) would fail it every few readings.
 *
 * <p>Both need two failing measurements in a row, 5 s apart: at 5% of demo-target's 200 requests/s a measurement
 * covers about 50 canary requests, so a single error of a good version (0.1% errors) reads 2% — one such reading must
 * not roll a good version back, while a bad one (8% errors) fails nearly every reading and is caught about 10 s into
 * the canary analysis.
 */
public final class DemoPlan {

    /** Versions containing this are served with 8% errors and a 900 ms p95 by demo-target. */
    public static final String BAD_MARKER = "-bad";

    /** Runbook 004's success criterion of the 5 % canary: error rate below 0.5 %. */
    public static final double CANARY_MAX_ERROR_RATE = 0.005;

    private DemoPlan() {
    }

    public static ObjectNode deployment(String service, String environment, String version, String previousVersion,
            String targetUrl, Duration analysis) {
        ObjectNode d = ApiClient.JSON.createObjectNode();
        d.put("service", service).put("environment", environment).put("version", version);
        if (previousVersion != null) {
            d.put("previousVersion", previousVersion);
        }
        String base = ApiClient.stripSlash(targetUrl);
        d.putObject("target").put("type", "http").put("url", base).put("metricsUrl", base + "/metrics");
        ArrayNode steps = d.putObject("strategy").putArray("steps");
        String seconds = analysis.toSeconds() + "s";
        steps.addObject().put("setWeight", 5);
        ObjectNode canary = steps.addObject().putObject("analysis").put("duration", seconds);
        canary.putArray("criteria").addObject()
                .put("name", "canary-error-rate").put("provider", "scrape").put("metric", "error_rate")
                .put("max", CANARY_MAX_ERROR_RATE).put("interval", "5s").put("failureLimit", 2);
        steps.addObject().put("setWeight", 25);
        steps.addObject().putObject("analysis").put("duration", seconds);
        steps.addObject().put("setWeight", 100);
        d.putObject("analysis").putArray("checks").addObject()
                .put("name", "error-rate").put("provider", "scrape").put("metric", "error_rate")
                .put("max", 0.01).put("interval", "5s").put("failureLimit", 2).put("severity", "P1");
        return d;
    }

    /** The good and the bad version of run {@code n}: {@code 2.4.n} and {@code 2.5.n-bad}. */
    public static String goodVersion(long run) {
        return "2.4." + run;
    }

    public static String badVersion(long run) {
        return "2.5." + run + BAD_MARKER;
    }
}
