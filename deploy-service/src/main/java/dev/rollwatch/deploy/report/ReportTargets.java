package dev.rollwatch.deploy.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The runbooks' targets the deployment report and the service summary hold the actuals against. Defaults are the
 * runbooks' values (docs/runbook-policy.md, "Deploy").
 */
@ConfigMapping(prefix = "rollwatch.report")
public interface ReportTargets {

    /** Total deployment time (runbook 001: under 60 minutes). */
    @WithDefault("60m")
    Duration totalDuration();

    /** Downtime per deployment (runbooks 002 and 004: zero downtime). */
    @WithDefault("0s")
    Duration downtime();

    /** First-hour error rate, a fraction (runbook 001: under 0.5 %). */
    @WithDefault("0.005")
    double firstHourErrorRate();

    /** Availability over the bake window, a fraction (runbook 004: API availability over 99.9 %). */
    @WithDefault("0.999")
    double bakeAvailability();

    /** Detection to rollback (runbook 002: rollback time under 5 minutes, also the P0 response target). */
    @WithDefault("5m")
    Duration detectionToRollback();

    /** Smoke test pass rate, a fraction (runbook 001: 100 %). */
    @WithDefault("1.0")
    double smokePassRate();

    /** Deployment success rate across deployments, a fraction (runbook 002: over 95 %). */
    @WithDefault("0.95")
    double successRate();

    default dev.rollwatch.deploy.service.ReportCalculator.Targets asTargets() {
        return new dev.rollwatch.deploy.service.ReportCalculator.Targets(totalDuration(), downtime(),
                firstHourErrorRate(), bakeAvailability(), detectionToRollback(), smokePassRate());
    }
}
