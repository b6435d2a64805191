package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15 (f): deployment windows. The scope's deployment policy lets deployments start only in a one-hour window
 * that is not now: a deployment is refused with 409 naming the window, and nothing starts; a deployer cannot
 * override it (403); an operator can, with a reason, and the reason is recorded on the deployment's
 * {@code DeploymentStarted} and in the audit log.
 */
class DeploymentWindowIT {

    private static Stack stack;
    private static Judgement j;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
        j = new Judgement(stack);
    }

    @Test
    void aDeploymentOutsideItsWindowIsRefusedAndAnOperatorsOverrideIsRecordedWithItsReason() throws Exception {
        String service = j.service("windows");
        // A window a safe distance from now, on no day boundary: 06:00-07:00 UTC in the afternoon, 18:00-19:00 in the
        // morning.
        boolean afternoon = ZonedDateTime.now(ZoneOffset.UTC).getHour() >= 12;
        String from = afternoon ? "06:00" : "18:00";
        String to = afternoon ? "07:00" : "19:00";
        Http.Reply policy = j.deploymentPolicy(service, "production", """
                {"windows": [{"name": "release-hour", "from": "%s", "to": "%s", "zone": "UTC"}],
                 "reason": "system test: releases only in the release hour"}""".formatted(from, to));
        assertThat(policy.status()).as("PUT deployment policy: %s", policy.body()).isIn(200, 201);

        String body = """
                {"service": "%s", "environment": "production", "version": "8.1.0", "previousVersion": "8.0.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 50}, {"setWeight": 100}]}%s}""";

        Http.Reply refused = j.start(body.formatted(service, j.targetUrl(), ""));
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().path("type").asText()).endsWith("outside-deployment-window");
        assertThat(refused.body().path("detail").asText()).contains(from).contains(to);
        JsonNode list = Http.get(stack.url("deploy-service", "/api/v1/deployments?service=" + service)).body();
        assertThat(list.path("items")).as("nothing started").isEmpty();

        String override = ", \"override\": {\"reason\": \"hotfix for INC-4711, approved by the incident lead\"}";
        String deployer = TestTokens.builder().subject("dora").roles("deployer").services(service).bearer();
        Http.Reply notAnOperator = Http.post(stack.url("deploy-service", "/api/v1/deployments"),
                body.formatted(service, j.targetUrl(), override), deployer);
        assertThat(notAnOperator.status()).as(notAnOperator.body().toString()).isEqualTo(403);

        String operator = TestTokens.builder().subject("olga").roles("deployer", "operator").services(service)
                .bearer();
        Http.Reply overridden = Http.post(stack.url("deploy-service", "/api/v1/deployments"),
                body.formatted(service, j.targetUrl(), override), operator);
        assertThat(overridden.status()).as(overridden.body().toString()).isEqualTo(202);
        String id = overridden.body().path("id").asText();

        JsonNode started = j.awaitEvent(Topics.DEPLOYMENT_STARTED, id, Duration.ofSeconds(60),
                "DeploymentStarted", e -> true);
        assertThat(started.path("override").asText()).contains("hotfix for INC-4711");
        assertThat(started.path("requestedBy").asText()).isEqualTo("olga");

        List<JsonNode> audited = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            audited.clear();
            JsonNode reply = Http.get(stack.url("audit-service",
                    "/api/v1/audit/events?deploymentId=" + id + "&limit=100")).body();
            JsonNode items = reply.isArray() ? reply : reply.has("entries") ? reply.get("entries") : reply.get("items");
            items.forEach(e -> {
                if ("dev.rollwatch.deployment.started.v1".equals(e.path("event").path("type").asText())) {
                    audited.add(e.path("event").path("data"));
                }
            });
            assertThat(audited).hasSize(1);
        });
        assertThat(audited.get(0).path("override").asText()).contains("hotfix for INC-4711");

        JsonNode done = j.awaitStatus(id, Duration.ofMinutes(2), Judgement.TERMINAL.toArray(String[]::new));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    }
}
