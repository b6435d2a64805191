package dev.rollwatch.deploy.driver.http;

import dev.rollwatch.deploy.TargetStub;
import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.driver.DriverException;
import dev.rollwatch.deploy.driver.TargetState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The http driver against a real HTTP server speaking the target protocol and verifying signatures. */
class HttpTargetDriverTest {

    private static TargetStub stub;
    private static HttpTargetDriver driver;

    @BeforeAll
    static void start() {
        stub = new TargetStub(TargetStub.TEST_SECRET);
        driver = new HttpTargetDriver(new HttpTargetDriver.Settings(TargetStub.TEST_SECRET, Duration.ofSeconds(1),
                Duration.ofMillis(500), 3, Duration.ofMillis(20), Duration.ofMillis(100)));
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    private static DeploymentTarget target(String service) {
        return new DeploymentTarget(UUID.randomUUID(), "http", stub.url(), service, "production", "2.3.0", "2.4.0");
    }

    @Test
    void setWeightSendsTheProtocolBodySignedAndReturnsTheTargetState() {
        DeploymentTarget t = target("checkout-" + UUID.randomUUID());
        TargetState state = driver.setWeight(t, 25, "msg_a");

        assertThat(state.weight()).isEqualTo(25);
        assertThat(state.canaryVersion()).isEqualTo("2.4.0");
        TargetStub.Call call = stub.callsFor(t.deploymentId().toString()).get(0);
        assertThat(call.answeredStatus()).isEqualTo(200); // the stub verified the Standard Webhooks signature
        assertThat(call.signature()).startsWith("v1,");
        assertThat(call.body()).containsEntry("service", t.service()).containsEntry("environment", "production")
                .containsEntry("stableVersion", "2.3.0").containsEntry("canaryVersion", "2.4.0")
                .containsEntry("weight", 25);
    }

    @Test
    void fiveHundredsAreRetriedUnderTheSameWebhookIdUntilTheTargetAppliesIt() {
        DeploymentTarget t = target("retry-" + UUID.randomUUID());
        stub.fail(t.service(), "traffic", 503, 2);

        driver.setWeight(t, 5, "msg_retry");

        List<TargetStub.Call> calls = stub.callsFor(t.deploymentId().toString());
        assertThat(calls).extracting(TargetStub.Call::answeredStatus).containsExactly(503, 503, 200);
        assertThat(calls).extracting(TargetStub.Call::webhookId).containsOnly("msg_retry");
        assertThat(stub.appliedWeights(t.deploymentId().toString())).containsExactly(5);
    }

    @Test
    void aRepeatedCallWithTheSameIdIsNotAppliedTwice() {
        DeploymentTarget t = target("idem-" + UUID.randomUUID());
        driver.setWeight(t, 5, "msg_idem_" + t.deploymentId());
        driver.setWeight(t, 5, "msg_idem_" + t.deploymentId());

        assertThat(stub.callsFor(t.deploymentId().toString())).hasSize(2);
        assertThat(stub.appliedWeights(t.deploymentId().toString())).containsExactly(5);
    }

    @Test
    void fourHundredsAreFinalAndNotRetried() {
        DeploymentTarget t = target("refused-" + UUID.randomUUID());
        stub.fail(t.service(), "rollback", 400, 5);

        assertThatThrownBy(() -> driver.rollback(t, "2.3.0", "msg_refused"))
                .isInstanceOf(DriverException.class).hasMessageContaining("answered 400");
        assertThat(stub.callsFor(t.deploymentId().toString())).hasSize(1);
    }

    @Test
    void persistentFailureGivesUpAfterTheConfiguredAttempts() {
        DeploymentTarget t = target("down-" + UUID.randomUUID());
        stub.fail(t.service(), "rollback", 500, 10);

        assertThatThrownBy(() -> driver.rollback(t, "2.3.0", "msg_down"))
                .isInstanceOf(DriverException.class).hasMessageContaining("after 3 attempts")
                .satisfies(e -> assertThat(((DriverException) e).attempts()).isEqualTo(3));
        assertThat(stub.callsFor(t.deploymentId().toString())).hasSize(3);
    }

    @Test
    void aSlowTargetTimesOutAndIsRetried() {
        DeploymentTarget t = target("slow-" + UUID.randomUUID());
        stub.delay(t.service(), "traffic", 1500, 1);

        TargetState state = driver.setWeight(t, 5, "msg_slow");

        assertThat(state.weight()).isEqualTo(5);
        assertThat(stub.callsFor(t.deploymentId().toString())).extracting(TargetStub.Call::webhookId)
                .containsOnly("msg_slow");
    }

    @Test
    void redirectsAreNotFollowed() {
        DeploymentTarget t = new DeploymentTarget(UUID.randomUUID(), "http", stub.url() + "/redirect", "redir",
                "production", "2.3.0", "2.4.0");
        assertThatThrownBy(() -> driver.setWeight(t, 5, "msg_redirect"))
                .isInstanceOf(DriverException.class).hasMessageContaining("answered 307");
        assertThat(stub.callsFor(t.deploymentId().toString())).isEmpty();
    }

    @Test
    void aTargetThatDripsItsBodyFailsAtTheDeadlineOfEachAttemptWithoutItsTextInTheMessage() {
        DeploymentTarget t = target("drip-" + UUID.randomUUID());
        stub.drip(t.service(), "traffic", 10);
        long start = System.nanoTime();
        assertThatThrownBy(() -> driver.setWeight(t, 5, "msg_drip")).isInstanceOf(DriverException.class)
                .hasMessage("POST /rollwatch/v1/traffic failed: no complete answer within 500 ms (after 3 attempts)");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // 3 attempts of 500 ms and two short backoffs; the stub would drip for 10 minutes.
        assertThat(tookMs).isBetween(1400L, 4000L);
        assertThat(stub.callsFor(t.deploymentId().toString())).hasSize(3);
    }

    @Test
    void aBodyOverTheCapIsFinalAndARefusalNeverQuotesTheTargetsBody() {
        DeploymentTarget big = target("big-" + UUID.randomUUID());
        stub.huge(big.service(), "traffic", 200, 10);
        assertThatThrownBy(() -> driver.setWeight(big, 5, "msg_big")).isInstanceOf(DriverException.class)
                .hasMessage("POST /rollwatch/v1/traffic failed: answer longer than 65536 bytes");
        assertThat(stub.callsFor(big.deploymentId().toString())).hasSize(1);

        DeploymentTarget refusing = target("refusing-" + UUID.randomUUID());
        stub.fail(refusing.service(), "finalize", 400, 1);
        assertThatThrownBy(() -> driver.finalize(refusing, "2.4.0", "msg_refused_f"))
                .hasMessage("POST /rollwatch/v1/finalize answered 400")
                .hasMessageNotContaining("problems"); // the stub's body names a problem type
    }

    @Test
    void aWrongSecretIsRefusedByAVerifyingReceiver() {
        HttpTargetDriver other = new HttpTargetDriver(new HttpTargetDriver.Settings(
                "whsec_" + java.util.Base64.getEncoder().encodeToString("another-secret-of-32-bytes-long!".getBytes()),
                Duration.ofSeconds(1), Duration.ofMillis(500), 3, Duration.ofMillis(20), Duration.ofMillis(100)));
        DeploymentTarget t = target("forged-" + UUID.randomUUID());
        assertThatThrownBy(() -> other.setWeight(t, 5, "msg_forged")).hasMessageContaining("answered 401");
        assertThat(stub.appliedWeights(t.deploymentId().toString())).isEmpty();
    }

    @Test
    void everyAttemptOfEveryCallKindPassesAnIndependentStandardWebhooksReceiver() {
        // The stub checks signatures with SpecWebhookVerifier (written from the spec, proven on its example).
        DeploymentTarget t = target("signed-" + UUID.randomUUID());
        stub.fail(t.service(), "traffic", 503, 1);
        stub.fail(t.service(), "rollback", 502, 1);

        driver.setWeight(t, 5, "msg_signed_traffic");
        driver.rollback(t, "2.3.0", "msg_signed_rollback");

        List<TargetStub.Call> calls = stub.callsFor(t.deploymentId().toString());
        assertThat(calls).extracting(TargetStub.Call::kind, TargetStub.Call::answeredStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("traffic", 503), org.assertj.core.groups.Tuple.tuple("traffic", 200),
                org.assertj.core.groups.Tuple.tuple("rollback", 502), org.assertj.core.groups.Tuple.tuple("rollback", 200));
        assertThat(calls).allSatisfy(c -> assertThat(c.signature()).matches("v1,[A-Za-z0-9+/]{43}="));
        assertThat(stub.state(t.service())).containsEntry("weight", 0).containsEntry("stableVersion", "2.3.0");

        stub.fail(t.service(), "finalize", 500, 1);
        driver.finalize(t, "2.4.0", "msg_signed_finalize");

        assertThat(stub.callsFor(t.deploymentId().toString(), "finalize"))
                .extracting(TargetStub.Call::answeredStatus, TargetStub.Call::webhookId).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(500, "msg_signed_finalize"),
                        org.assertj.core.groups.Tuple.tuple(200, "msg_signed_finalize"))
                .hasSize(2);
        assertThat(stub.callsFor(t.deploymentId().toString(), "finalize"))
                .allSatisfy(c -> assertThat(c.signature()).matches("v1,[A-Za-z0-9+/]{43}="));
    }

    @Test
    void finalizeSendsTheProtocolBodySignedAndTheNewVersionBecomesStable() {
        DeploymentTarget t = target("final-" + UUID.randomUUID());
        driver.setWeight(t, 100, "msg_final_traffic");

        TargetState state = driver.finalize(t, "2.4.0", "msg_final");

        assertThat(state).isEqualTo(new TargetState(t.service(), "2.4.0", null, 0));
        TargetStub.Call call = stub.callsFor(t.deploymentId().toString(), "finalize").get(0);
        assertThat(call.answeredStatus()).isEqualTo(200); // the stub verified the Standard Webhooks signature
        assertThat(call.webhookId()).isEqualTo("msg_final");
        assertThat(call.signature()).startsWith("v1,");
        assertThat(call.body()).containsExactly(
                java.util.Map.entry("deploymentId", t.deploymentId().toString()),
                java.util.Map.entry("service", t.service()), java.util.Map.entry("environment", "production"),
                java.util.Map.entry("version", "2.4.0"));
    }

    @Test
    void aFinalizeIsRetriedOnFiveHundredsAndTimeoutsUnderOneWebhookIdAndAppliedOnce() {
        DeploymentTarget t = target("final-retry-" + UUID.randomUUID());
        stub.fail(t.service(), "finalize", 503, 2);

        driver.finalize(t, "2.4.0", "msg_final_retry");
        stub.delay(t.service(), "finalize", 1500, 1);
        driver.finalize(t, "2.4.0", "msg_final_retry"); // a re-run after a crash: same id, slow target

        List<TargetStub.Call> calls = stub.callsFor(t.deploymentId().toString(), "finalize");
        assertThat(calls).extracting(TargetStub.Call::webhookId).containsOnly("msg_final_retry");
        assertThat(calls).extracting(TargetStub.Call::answeredStatus).startsWith(503, 503, 200);
        assertThat(calls).filteredOn(TargetStub.Call::applied).hasSize(1);
        assertThat(stub.state(t.service())).containsEntry("stableVersion", "2.4.0").containsEntry("weight", 0);
    }

    @Test
    void aRefusedFinalizeIsFinalAndAnUnansweredOneGivesUpAfterTheConfiguredAttempts() {
        DeploymentTarget refused = target("final-refused-" + UUID.randomUUID());
        stub.fail(refused.service(), "finalize", 400, 5);
        assertThatThrownBy(() -> driver.finalize(refused, "2.4.0", "msg_final_refused"))
                .isInstanceOf(DriverException.class).hasMessageContaining("/rollwatch/v1/finalize answered 400");
        assertThat(stub.callsFor(refused.deploymentId().toString())).hasSize(1);

        DeploymentTarget down = target("final-down-" + UUID.randomUUID());
        stub.fail(down.service(), "finalize", 500, 10);
        assertThatThrownBy(() -> driver.finalize(down, "2.4.0", "msg_final_down"))
                .isInstanceOf(DriverException.class).hasMessageContaining("after 3 attempts");
        assertThat(stub.callsFor(down.deploymentId().toString())).hasSize(3)
                .extracting(TargetStub.Call::webhookId).containsOnly("msg_final_down");
        assertThat(stub.state(down.service())).isNull();
    }

    @Test
    void aFinalizeIsNotRedirected() {
        DeploymentTarget t = new DeploymentTarget(UUID.randomUUID(), "http", stub.url() + "/redirect", "redir-final",
                "production", "2.3.0", "2.4.0");
        assertThatThrownBy(() -> driver.finalize(t, "2.4.0", "msg_final_redirect"))
                .isInstanceOf(DriverException.class).hasMessageContaining("answered 307");
        assertThat(stub.callsFor(t.deploymentId().toString())).isEmpty();
    }

    @Test
    void healthReportsUp() {
        assertThat(driver.health(target("h")).up()).isTrue();
        DeploymentTarget nowhere = new DeploymentTarget(UUID.randomUUID(), "http", "http://127.0.0.1:1", "h", "p",
                "1", "2");
        assertThat(driver.health(nowhere).up()).isFalse();
    }

    @Test
    void backoffDoublesUpToItsCap() {
        assertThat(driver.backoff(1)).isEqualTo(Duration.ofMillis(20));
        assertThat(driver.backoff(2)).isEqualTo(Duration.ofMillis(40));
        assertThat(driver.backoff(5)).isEqualTo(Duration.ofMillis(100));
    }

    private static HttpTargetDriver.Settings settings() {
        return new HttpTargetDriver.Settings(TargetStub.TEST_SECRET, Duration.ofSeconds(1), Duration.ofMillis(500), 3,
                Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private static DeploymentTarget at(String url, String service) {
        return new DeploymentTarget(UUID.randomUUID(), "http", url, service, "production", "2.3.0", "2.4.0");
    }

    @Test
    void everyCallGoesThroughTheOutboundPolicyOfTheDeploymentsEnvironment() {
        // Production's policy: loopback and link-local (the cloud metadata service) refused.
        HttpTargetDriver production = new HttpTargetDriver(settings(), t -> java.util.Optional.empty(),
                new dev.rollwatch.platform.http.OutboundUrlPolicy(false, false, List.of(),
                        java.net.InetAddress::getAllByName));
        for (String url : List.of(stub.url(), "http://169.254.169.254", "http://169.254.169.254/latest/meta-data")) {
            DeploymentTarget t = at(url, "refused-" + UUID.randomUUID());
            assertThatThrownBy(() -> production.setWeight(t, 5, "msg_refused")).isInstanceOf(DriverException.class)
                    .hasMessage("POST /rollwatch/v1/traffic refused: the destination is not allowed by the outbound "
                            + "policy");
            assertThatThrownBy(() -> production.rollback(t, "2.3.0", "msg_refused_rb"))
                    .hasMessage("POST /rollwatch/v1/rollback refused: the destination is not allowed by the outbound "
                            + "policy");
            assertThat(production.health(t)).isEqualTo(new dev.rollwatch.deploy.driver.TargetDriver.Health(false,
                    "health refused: the destination is not allowed by the outbound policy"));
            assertThat(stub.callsFor(t.deploymentId().toString())).isEmpty();
        }
        // The same calls where the policy allows loopback (the local stack): sent to the vetted address, signed.
        // (Deadlines of seconds, not the 500 ms of the timeout cases: what this case checks is where the call goes,
        // and a build machine under load answered the stub later than 3 × 500 ms.)
        HttpTargetDriver local = new HttpTargetDriver(new HttpTargetDriver.Settings(TargetStub.TEST_SECRET,
                Duration.ofSeconds(5), Duration.ofSeconds(10), 3, Duration.ofMillis(20), Duration.ofMillis(100)),
                t -> java.util.Optional.empty(),
                new dev.rollwatch.platform.http.OutboundUrlPolicy(false, true, List.of(),
                        java.net.InetAddress::getAllByName));
        DeploymentTarget t = at(stub.url(), "pinned-" + UUID.randomUUID());
        assertThat(local.setWeight(t, 5, "msg_pinned").weight()).isEqualTo(5);
        assertThat(local.health(t).up()).isTrue();
        // (A slow first attempt on a loaded machine is retried under the same webhook-id: every delivery verified.)
        assertThat(stub.callsFor(t.deploymentId().toString())).isNotEmpty()
                .allSatisfy(c -> assertThat(c.answeredStatus()).isEqualTo(200));
    }

    @Test
    void aTargetUrlCannotTurnTheDriversPathIntoAQueryOrFragment() {
        // Before: URI.create(url + path) POSTed signed JSON to /admin/delete?x=/rollwatch/v1/traffic.
        for (String url : List.of(stub.url() + "/admin/delete?x=", stub.url() + "/admin#",
                "http://user:pw@" + stub.url().substring("http://".length()))) {
            DeploymentTarget t = at(url, "query-" + UUID.randomUUID());
            assertThatThrownBy(() -> driver.setWeight(t, 5, "msg_query")).isInstanceOf(DriverException.class)
                    .hasMessageStartingWith("POST /rollwatch/v1/traffic not sent: the target URL is not usable")
                    .hasMessageNotContaining("pw");
            assertThat(driver.health(t).up()).isFalse();
            assertThat(stub.callsFor(t.deploymentId().toString())).isEmpty();
        }
        // A base path is kept, the fixed path appended after it.
        assertThat(dev.rollwatch.deploy.registry.TargetUrls.resolve("http://h:8080/base//", "/rollwatch/v1/traffic"))
                .hasToString("http://h:8080/base/rollwatch/v1/traffic");
        assertThat(dev.rollwatch.deploy.registry.TargetUrls.resolve("http://h", "/health")).hasToString(
                "http://h/health");
    }

    @Test
    void aTargetWithItsOwnSecretGetsCallsSignedWithIt() {
        String own = dev.rollwatch.events.webhook.StandardWebhooks.newSecret();
        try (TargetStub registered = new TargetStub(own)) {
            HttpTargetDriver perTarget = new HttpTargetDriver(settings(), t -> t.url().equals(registered.url())
                    ? java.util.Optional.of(own) : java.util.Optional.empty(), null);
            DeploymentTarget t = at(registered.url(), "own-" + UUID.randomUUID());
            assertThat(perTarget.setWeight(t, 5, "msg_own").weight()).isEqualTo(5);
            assertThat(registered.callsFor(t.deploymentId().toString())).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.answeredStatus()).isEqualTo(200))
                    .anySatisfy(c -> assertThat(c.applied()).isTrue());
            // Signed with the global secret, the same call is refused by that target.
            DeploymentTarget global = at(registered.url(), "global-" + UUID.randomUUID());
            assertThatThrownBy(() -> driver.setWeight(global, 5, "msg_global")).hasMessageContaining("answered 401");
            // Other targets keep the global secret (the shared stub verifies it).
            assertThat(perTarget.setWeight(target("other-" + UUID.randomUUID()), 5, "msg_other").weight())
                    .isEqualTo(5);
        }
    }
}
