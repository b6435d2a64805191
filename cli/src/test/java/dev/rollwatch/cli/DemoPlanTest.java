package dev.rollwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.demo.DemoPlan;
import dev.rollwatch.cli.http.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DemoPlanTest {

    @Test
    void theDemoDeploymentWalksCanarySteps5To25To100WithTheCanaryCriterionJudgedOnTheTargetsMetrics() throws Exception {
        JsonNode d = DemoPlan.deployment("checkout", "production", "2.5.3-bad", null, "http://127.0.0.1:8090/",
                Duration.ofSeconds(20));

        assertThat(d).isEqualTo(ApiClient.JSON.readTree("""
                {"service": "checkout", "environment": "production", "version": "2.5.3-bad",
                 "target": {"type": "http", "url": "http://127.0.0.1:8090",
                            "metricsUrl": "http://127.0.0.1:8090/metrics"},
                 "strategy": {"steps": [{"setWeight": 5},
                                        {"analysis": {"duration": "20s", "criteria": [
                                          {"name": "canary-error-rate", "provider": "scrape", "metric": "error_rate",
                                           "max": 0.005, "interval": "5s", "failureLimit": 2}]}},
                                        {"setWeight": 25},
                                        {"analysis": {"duration": "20s"}}, {"setWeight": 100}]},
                 "analysis": {"checks": [{"name": "error-rate", "provider": "scrape", "metric": "error_rate",
                                          "max": 0.01, "interval": "5s", "failureLimit": 2, "severity": "P1"}]}}"""));
    }

    @Test
    void theBadVersionCarriesTheMarkerDemoTargetReacts() {
        assertThat(DemoPlan.badVersion(3)).isEqualTo("2.5.3-bad").contains("bad");
        assertThat(DemoPlan.goodVersion(3)).isEqualTo("2.4.3").doesNotContain("bad");
    }
}
