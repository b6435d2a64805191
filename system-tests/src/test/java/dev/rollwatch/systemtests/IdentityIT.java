package dev.rollwatch.systemtests;

import dev.rollwatch.events.DeploymentStarted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity and access across the packaged services (docs/security.md): no token, no answer; who started a
 * deployment is the token's subject, in the deploy service's view and in the DeploymentStarted event, and a body
 * cannot name someone else.
 */
class IdentityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Stack stack;
    private static final List<String> started = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
    }

    /** The deployments here wait at their gate: abort them, so that nothing of this class is left running. */
    @AfterAll
    static void abortWhatWasStarted() throws Exception {
        for (String id : started) {
            Http.post(stack.url("deploy-service", "/api/v1/deployments/" + id + "/abort"),
                    "{\"reason\": \"IdentityIT is done\"}");
        }
    }

    @Test
    void everyServiceRefusesARequestWithoutAToken() throws Exception {
        Map<String, String> endpoints = Map.of(
                "deploy-service", "/api/v1/deployments",
                "monitor-service", "/api/v1/checks/defaults",
                "rollback-service", "/api/v1/decisions",
                "notifier-service", "/api/v1/channels",
                "audit-service", "/api/v1/audit/verify");
        for (Map.Entry<String, String> e : endpoints.entrySet()) {
            Http.Reply reply = Http.get(stack.url(e.getKey(), e.getValue()), null);
            assertThat(reply.status()).as("%s %s without a token: %s", e.getKey(), e.getValue(), reply.body())
                    .isEqualTo(401);
            assertThat(reply.contentType()).as(e.getKey()).startsWith("application/problem+json");
            assertThat(reply.body().path("status").asInt()).as(e.getKey()).isEqualTo(401);
        }
        Http.Reply post = Http.post(stack.url("deploy-service", "/api/v1/deployments"), deployment("nobody-svc"),
                null);
        assertThat(post.status()).as(post.body().toString()).isEqualTo(401);
        assertThat(post.contentType()).startsWith("application/problem+json");
        // Health stays open: it is how ./rollwatch and the orchestrator see the service is up.
        assertThat(Http.get(stack.url("deploy-service", "/q/health/ready"), null).status()).isEqualTo(200);
    }

    @Test
    void aDeploymentStartedByAliceIsRequestedByAliceInTheViewAndTheEvent() throws Exception {
        String service = "identity-" + UUID.randomUUID().toString().substring(0, 8);
        String alice = TestTokens.builder().subject("alice").roles("deployer").services(service).bearer();

        Http.Reply created = Http.post(stack.url("deploy-service", "/api/v1/deployments"), deployment(service), alice);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
        String id = created.body().get("id").asText();
        started.add(id);

        Http.Reply view = Http.get(stack.url("deploy-service", "/api/v1/deployments/" + id), alice);
        assertThat(view.status()).as(view.body().toString()).isEqualTo(200);
        assertThat(view.body().path("requestedBy").asText()).isEqualTo("alice");

        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka().bootstrap())) {
            Envelope<DeploymentStarted> event = kafka.awaitEvent(Topics.DEPLOYMENT_STARTED, id,
                    DeploymentStarted.class, WAIT);
            assertThat(event.data().requestedBy()).isEqualTo("alice");
        }
    }

    @Test
    void aBodyThatNamesSomeoneElseIsRefused() throws Exception {
        String service = "identity-" + UUID.randomUUID().toString().substring(0, 8);
        String body = deployment(service).replaceFirst("\\}\\s*$", ", \"requestedBy\": \"mallory\"}");
        Http.Reply reply = Http.post(stack.url("deploy-service", "/api/v1/deployments"), body);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aDeployerOfOneServiceMayNotReadAnothersDeployment() throws Exception {
        String other = "identity-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Reply created = Http.post(stack.url("deploy-service", "/api/v1/deployments"), deployment(other));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
        started.add(created.body().get("id").asText());
        String bob = TestTokens.builder().subject("bob").roles("deployer").services("checkout-of-bob").bearer();

        Http.Reply reply = Http.get(stack.url("deploy-service", "/api/v1/deployments/"
                + created.body().get("id").asText()), bob);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(403);
    }

    /** A deployment that stops at a gate, so it stays out of the other tests' way. */
    private static String deployment(String service) {
        return """
                {"service": "%s", "environment": "production", "version": "1.1.0", "previousVersion": "1.0.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 5}, {"pause": {}}, {"setWeight": 100}]}}"""
                .formatted(service, stack.url("demo-target", ""));
    }
}
