package dev.rollwatch.notifier;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;
import dev.rollwatch.events.webhook.StandardWebhooks;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.LogCapture;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import dev.rollwatch.testsupport.SecurityMatrix;
import dev.rollwatch.testsupport.SecurityMatrix.Caller;
import dev.rollwatch.testsupport.SecurityMatrix.Request;
import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.rollwatch.notifier.Alerts.unique;
import static dev.rollwatch.testsupport.SecurityMatrix.endpoint;
import static dev.rollwatch.testsupport.SecurityMatrix.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may call what (docs/security.md, "Endpoints × roles"): every endpoint × every kind of caller, with the
 * status each cell must get; refused changes change nothing; hostile bodies get 4xx problem+json and change
 * nothing; no response and no log line ever carries a channel secret or a token.
 */
@QuarkusTest
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class NotifierSecurityIT {

    static final String PROBLEM_JSON = SecurityMatrix.PROBLEM_JSON;
    static final String PROBLEM = SecurityMatrix.PROBLEM;

    /** The callers of the matrix: six bad tokens (all roles, so only the token is wrong) and one per role. */
    static final List<Caller> CALLERS = new ArrayList<>();

    /** Every token this class sends, to be found in no log line. */
    static final Set<String> TOKENS = new LinkedHashSet<>();
    /** Every secret this class stores, to be found in no response and no log line. */
    static final Set<String> SECRETS = new LinkedHashSet<>();
    static LogCapture log;

    /** Setup and checks run as their own admin, so the matrix's admin is not rate limited by them. */
    static String setup;
    static String fuzzer;
    static Receiver receiver;
    static KafkaTestClient kafka;

    @BeforeAll
    static void tokensAndLogCapture() throws Exception {
        log = LogCapture.start();
        CALLERS.addAll(Caller.badTokens());
        for (String role : List.of("deployer", "operator", "auditor", "admin", "agent")) {
            CALLERS.add(Caller.of(role, "sec-" + role, role));
        }
        setup = TestTokens.builder().subject("sec-setup").roles("admin").bearer();
        fuzzer = fuzzerToken(0);
        CALLERS.stream().map(Caller::token).filter(t -> t != null).forEach(TOKENS::add);
        TOKENS.add(setup.substring(7));
        receiver = new Receiver();
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void stopCapture() {
        log.stop();
        receiver.close();
        kafka.close();
    }

    // ------------------------------------------------------------------------------------------ the matrix

    /** One request of the fuzz test. */
    record Call(String method, String path, Object body) {
    }

    /**
     * Every endpoint × every caller ({@link SecurityMatrix}): channels and routes are the admin's, deliveries the
     * operator's and the admin's. Each cell gets a fresh object to change, and a refused change must leave it as it
     * was.
     */
    @Test
    void everyEndpointAnswersEveryCallerAsTheTableSays() {
        String existingChannel = createChannel();
        String existingRoute = createRoute();
        SecurityMatrix matrix = SecurityMatrix.of(CALLERS).endpoints(List.of(
                get("/api/v1/channels").roles("admin"),
                get("/api/v1/channels/" + existingChannel).label("GET /api/v1/channels/{name}").roles("admin"),
                endpoint("POST", "/api/v1/channels").roles("admin").ok(201).prepare(cell -> {
                    String name = unique("sec-new");
                    return new Request("/api/v1/channels", Map.of("name", name, "type", "slack",
                            "url", receiver.url("/slack/" + name)), () -> snapshot("/api/v1/channels/" + name));
                }),
                endpoint("PUT", "/api/v1/channels/{name}").roles("admin").prepare(cell -> {
                    String name = createChannel();
                    return new Request("/api/v1/channels/" + name, Map.of("enabled", false),
                            () -> snapshot("/api/v1/channels/" + name));
                }),
                endpoint("DELETE", "/api/v1/channels/{name}").roles("admin").ok(204).prepare(cell -> {
                    String name = createChannel();
                    return new Request("/api/v1/channels/" + name, null, () -> snapshot("/api/v1/channels/" + name));
                }),
                get("/api/v1/routes").roles("admin"),
                get("/api/v1/routes/" + existingRoute).label("GET /api/v1/routes/{name}").roles("admin"),
                endpoint("POST", "/api/v1/routes").roles("admin").ok(201).prepare(cell -> {
                    String name = unique("sec-new-route");
                    return new Request("/api/v1/routes", Map.of("name", name, "channels", List.of("log")),
                            () -> snapshot("/api/v1/routes/" + name));
                }),
                endpoint("PUT", "/api/v1/routes/{name}").roles("admin").prepare(cell -> {
                    String name = createRoute();
                    return new Request("/api/v1/routes/" + name, Map.of("severity", "P1",
                            "channels", List.of("elsewhere")), () -> snapshot("/api/v1/routes/" + name));
                }),
                endpoint("DELETE", "/api/v1/routes/{name}").roles("admin").ok(204).prepare(cell -> {
                    String name = createRoute();
                    return new Request("/api/v1/routes/" + name, null, () -> snapshot("/api/v1/routes/" + name));
                }),
                get("/api/v1/deliveries").roles("operator", "admin")));
        assertThat(matrix.check()).isEqualTo(11 * 11);
        assertNothingSecretLogged();
    }

    @Test
    void deliveriesListOnlyTheServicesTheTokenAllows() {
        String mine = unique("sec-mine");
        String theirs = unique("sec-theirs");
        Envelope<ThresholdBreached> a = Alerts.breach(UUID.randomUUID().toString(), mine, Severity.P3);
        Envelope<ThresholdBreached> b = Alerts.breach(UUID.randomUUID().toString(), theirs, Severity.P3);
        kafka.send(a);
        kafka.send(b);
        await().atMost(Alerts.WAIT).until(() -> deliveriesOf(setup, "eventId", a.id()).getInt("total") == 1
                && deliveriesOf(setup, "eventId", b.id()).getInt("total") == 1);

        String scoped = TestTokens.builder().subject("sec-scoped-operator").roles("operator").services(mine)
                .bearer();
        TOKENS.add(scoped.substring(7));
        assertThat(deliveriesOf(scoped, "eventId", a.id()).getInt("total")).isEqualTo(1);
        assertThat(deliveriesOf(scoped, "eventId", b.id()).getInt("total")).isZero();
        assertThat(deliveriesOf(scoped, "channel", "log").getList("items.service", String.class))
                .isNotEmpty().containsOnly(mine);
        // Without a services claim an operator sees no service (the scope fails closed, issue 17), and neither does
        // one that is admin as well; an admin alone sees every service, as does an operator with '*'.
        assertThat(deliveriesOf(caller("operator"), "eventId", b.id()).getInt("total")).isZero();
        String operatorAdmin = TestTokens.builder().subject("sec-operator-admin").roles("operator", "admin").bearer();
        String operatorAll = TestTokens.builder().subject("sec-operator-all").roles("operator").services("*")
                .bearer();
        TOKENS.add(operatorAdmin.substring(7));
        TOKENS.add(operatorAll.substring(7));
        assertThat(deliveriesOf(operatorAdmin, "eventId", b.id()).getInt("total")).isZero();
        assertThat(deliveriesOf(caller("admin"), "eventId", b.id()).getInt("total")).isEqualTo(1);
        assertThat(deliveriesOf(operatorAll, "eventId", b.id()).getInt("total")).isEqualTo(1);
        assertNothingSecretLogged();
    }

    @Test
    void theAuthorOfAChangeIsTheTokenSubject() {
        String alice = TestTokens.builder().subject("alice-admin").roles("admin").bearer();
        TOKENS.add(alice.substring(7));
        String channel = unique("sec-alice");
        send(alice, "POST", "/api/v1/channels", Map.of("name", channel, "type", "slack",
                "url", receiver.url("/slack/" + channel))).then().statusCode(201);
        send(alice, "PUT", "/api/v1/channels/" + channel, Map.of("enabled", false)).then().statusCode(200);
        send(alice, "DELETE", "/api/v1/channels/" + channel, null).then().statusCode(204);
        String route = unique("sec-alice-route");
        send(alice, "POST", "/api/v1/routes", Map.of("name", route, "channels", List.of("log")))
                .then().statusCode(201);
        send(alice, "DELETE", "/api/v1/routes/" + route, null).then().statusCode(204);

        List<String> lines = log.lines().stream().toList();
        assertThat(lines).anyMatch(l -> l.startsWith("channel created channel=" + channel + " ")
                && l.endsWith(" by=alice-admin"));
        assertThat(lines).anyMatch(l -> l.startsWith("channel updated channel=" + channel + " ")
                && l.endsWith(" by=alice-admin"));
        assertThat(lines).contains("channel deleted channel=" + channel + " by=alice-admin",
                "route deleted route=" + route + " by=alice-admin");
        assertThat(lines).anyMatch(l -> l.startsWith("route created route=" + route + " ")
                && l.endsWith(" by=alice-admin"));
        // A body naming someone else is refused as an unknown field.
        send(alice, "POST", "/api/v1/channels", Map.of("name", unique("sec-who"), "type", "slack",
                "url", receiver.url("/slack/x"), "createdBy", "mallory")).then().statusCode(400)
                .contentType(PROBLEM_JSON).body("type", org.hamcrest.Matchers.equalTo(PROBLEM + "malformed-body"));
    }

    // ------------------------------------------------------------------------------------------ fuzz

    @Test
    void hostileBodiesGetProblemDetailsAndChangeNothing() {
        String webhook = unique("sec-fuzz-hook");
        String secret = StandardWebhooks.newSecret();
        SECRETS.add(secret);
        send(setup, "POST", "/api/v1/channels", Map.of("name", webhook, "type", "webhook",
                "url", receiver.url("/hook/" + webhook), "secret", secret)).then().statusCode(201);
        String route = createRoute();
        String channelBefore = snapshot("/api/v1/channels/" + webhook);
        String routeBefore = snapshot("/api/v1/routes/" + route);
        String namesBefore = names();

        String big = "x".repeat(1024 * 1024 + 100);
        List<String> hostile = List.of("'; DROP TABLE channel; --", "<script>alert(1)</script>", "${jndi:ldap://x}");
        List<Call> calls = new ArrayList<>();
        // wrong types, not JSON, unknown fields, too large
        calls.add(raw("POST", "/api/v1/channels", "{\"name\": [\"a\"], \"type\": {\"x\": 1}}"));
        calls.add(raw("POST", "/api/v1/channels", "{\"name\": \"sec-fuzz-x\", \"type\": \"slack\", \"url\": {}}"));
        calls.add(raw("POST", "/api/v1/channels", "{\"name\": "));
        calls.add(raw("POST", "/api/v1/channels", "[1, 2, 3]"));
        calls.add(raw("POST", "/api/v1/channels", "{\"name\": \"sec-fuzz-x\", \"type\": \"slack\", \"url\": \""
                + receiver.url("/x") + "\", \"enabled\": false, \"builtin\": true}"));
        calls.add(raw("POST", "/api/v1/channels", "{\"name\": \"sec-fuzz-x\", \"type\": \"slack\", \"url\": \""
                + receiver.url("/" + big) + "\"}"));
        calls.add(raw("PUT", "/api/v1/channels/" + webhook, "{\"enabled\": {\"a\": 1}}"));
        calls.add(raw("PUT", "/api/v1/channels/" + webhook, "{\"secret\": 42.5e400}"));
        calls.add(raw("PUT", "/api/v1/channels/" + webhook, "{\"enabled\": false, \"updatedBy\": \"mallory\"}"));
        calls.add(raw("PUT", "/api/v1/channels/" + webhook, "{\"url\": \"" + big + "\"}"));
        calls.add(raw("POST", "/api/v1/routes", "{\"name\": \"sec-fuzz-r\", \"channels\": \"log\"}"));
        calls.add(raw("POST", "/api/v1/routes", "{\"name\": \"sec-fuzz-r\", \"severity\": \"P9\", "
                + "\"channels\": [\"log\"]}"));
        calls.add(raw("POST", "/api/v1/routes", "{\"name\": \"sec-fuzz-r\", \"channels\": [\"log\"], "
                + "\"builtin\": true}"));
        calls.add(raw("POST", "/api/v1/routes", "{\"name\": \"sec-fuzz-r\", \"channels\": [\"" + big + "\"]}"));
        calls.add(raw("PUT", "/api/v1/routes/" + route, "{\"channels\": [1, {}]}"));
        calls.add(raw("PUT", "/api/v1/routes/" + route, "{\"channels\": [\"log\"], \"createdBy\": \"mallory\"}"));
        calls.add(raw("PUT", "/api/v1/routes/" + route, "{\"channels\": [\"log\"], \"service\": \"" + big + "\"}"));
        for (String h : hostile) {
            calls.add(json("POST", "/api/v1/channels", Map.of("name", h, "type", "slack", "url", receiver.url("/x"))));
            calls.add(json("POST", "/api/v1/channels", Map.of("name", "sec-fuzz-x", "type", h)));
            calls.add(json("POST", "/api/v1/channels", Map.of("name", "sec-fuzz-x", "type", "slack", "url", h)));
            calls.add(json("POST", "/api/v1/channels", Map.of("name", "sec-fuzz-x", "type", "webhook",
                    "url", receiver.url("/x"), "secret", h)));
            calls.add(json("PUT", "/api/v1/channels/" + webhook, Map.of("url", h)));
            calls.add(json("PUT", "/api/v1/channels/" + webhook, Map.of("secret", h)));
            calls.add(json("PUT", "/api/v1/channels/" + segment(h), Map.of("enabled", false)));
            calls.add(json("DELETE", "/api/v1/channels/" + segment(h), null));
            calls.add(json("POST", "/api/v1/routes", Map.of("name", h, "channels", List.of("log"))));
            calls.add(json("POST", "/api/v1/routes", Map.of("name", "sec-fuzz-r", "eventType", h,
                    "channels", List.of("log"))));
            calls.add(json("POST", "/api/v1/routes", Map.of("name", "sec-fuzz-r", "service", h,
                    "channels", List.of("log"))));
            calls.add(json("POST", "/api/v1/routes", Map.of("name", "sec-fuzz-r", "environment", h,
                    "channels", List.of("log"))));
            calls.add(json("POST", "/api/v1/routes", Map.of("name", "sec-fuzz-r", "channels", List.of(h))));
            calls.add(json("PUT", "/api/v1/routes/" + route, Map.of("service", h, "channels", List.of("log"))));
            calls.add(json("PUT", "/api/v1/routes/" + route, Map.of("channels", List.of(h))));
            calls.add(json("PUT", "/api/v1/routes/" + segment(h), Map.of("channels", List.of("log"))));
            calls.add(json("DELETE", "/api/v1/routes/" + segment(h), null));
        }

        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            // a fresh identity every 40 requests: the per-identity rate limit is not what this test is about
            String as = i % 40 == 0 ? (fuzzer = fuzzerToken(i / 40)) : fuzzer;
            Response response = send(as, call.method(), call.path(), call.body());
            String what = call.method() + " " + abbreviate(call.path()) + " " + abbreviate(String.valueOf(call.body()));
            String contentType = String.valueOf(response.contentType());
            if (response.statusCode() < 400 || response.statusCode() >= 500 || response.statusCode() == 429
                    || !contentType.startsWith(PROBLEM_JSON)) {
                mismatches.add(what + ": " + response.statusCode() + " " + contentType + " "
                        + abbreviate(response.asString()));
            }
        }
        assertThat(calls).hasSizeGreaterThan(60);
        assertThat(mismatches).as("hostile requests that were not refused with 4xx problem+json").isEmpty();
        // the 413 cases, explicitly
        Response tooLarge = send(fuzzer, "PUT", "/api/v1/channels/" + webhook, "{\"url\": \"" + big + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.jsonPath().getString("type")).isEqualTo(PROBLEM + "body-too-large");

        assertThat(snapshot("/api/v1/channels/" + webhook)).isEqualTo(channelBefore);
        assertThat(snapshot("/api/v1/routes/" + route)).isEqualTo(routeBefore);
        assertThat(names()).isEqualTo(namesBefore);
        assertNothingSecretLogged();
    }

    // ------------------------------------------------------------------------------------------ secrets

    @Test
    void noResponseAndNoLogLineEverCarriesAChannelSecret() {
        String hook = unique("sec-hook");
        String slack = unique("sec-slack");
        String pd = unique("sec-pd");
        String teams = unique("sec-teams");
        String hookSecret = StandardWebhooks.newSecret();
        String hookSecret2 = StandardWebhooks.newSecret();
        String slackToken = randomKey(24);
        String slackToken2 = randomKey(24);
        String routingKey = randomKey(32);
        String routingKey2 = randomKey(32);
        String teamsSig = randomKey(43);
        String teamsSig2 = randomKey(43);
        SECRETS.addAll(List.of(hookSecret, hookSecret2, slackToken, slackToken2, routingKey, routingKey2, teamsSig,
                teamsSig2));

        List<Response> responses = new ArrayList<>();
        responses.add(created(Map.of("name", hook, "type", "webhook", "url", receiver.url("/hook/" + hook),
                "secret", hookSecret)));
        responses.add(created(Map.of("name", slack, "type", "slack",
                "url", receiver.url("/services/T0SEC/B0SEC/" + slackToken))));
        responses.add(created(Map.of("name", pd, "type", "pagerduty", "url", receiver.url("/pd/" + pd),
                "secret", routingKey)));
        responses.add(created(Map.of("name", teams, "type", "teams",
                "url", receiver.url("/workflows/" + teams + "/invoke?api-version=1&sig=" + teamsSig))));
        // refused creations naming a secret must not echo it either
        Response conflict = send(setup, "POST", "/api/v1/channels", Map.of("name", hook, "type", "webhook",
                "url", receiver.url("/hook/" + hook), "secret", hookSecret));
        assertThat(conflict.statusCode()).isEqualTo(409);
        responses.add(conflict);
        for (String name : List.of(hook, slack, pd, teams)) {
            Response one = send(setup, "GET", "/api/v1/channels/" + name, null);
            assertThat(one.statusCode()).isEqualTo(200);
            responses.add(one);
        }
        assertThat(send(setup, "GET", "/api/v1/channels/" + hook, null).jsonPath().getBoolean("hasSecret"))
                .isTrue();
        assertThat(send(setup, "GET", "/api/v1/channels/" + pd, null).jsonPath().getBoolean("hasSecret")).isTrue();

        // send one alert through all four, so the senders and the worker log what they log about them
        String service = unique("sec-svc");
        send(setup, "POST", "/api/v1/routes", Map.of("name", unique("sec-all"), "service", service,
                "channels", List.of(hook, slack, pd, teams))).then().statusCode(201);
        Envelope<ThresholdBreached> breach = Alerts.breach(UUID.randomUUID().toString(), service, Severity.P2);
        kafka.send(breach);
        await().atMost(Alerts.WAIT).until(() -> {
            JsonPath d = deliveriesOf(setup, "eventId", breach.id());
            // the runbook's p2-breach route adds a log delivery (slack and oncall-webhook are not configured)
            return d.getList("items.channel", String.class).containsAll(List.of(hook, slack, pd, teams))
                    && !d.getList("items.status", String.class).contains("PENDING");
        });
        responses.add(send(setup, "GET", "/api/v1/deliveries?eventId=" + breach.id(), null));

        responses.add(updated(hook, Map.of("secret", hookSecret2)));
        responses.add(updated(slack, Map.of("url", receiver.url("/services/T0SEC/B0SEC/" + slackToken2))));
        responses.add(updated(pd, Map.of("secret", routingKey2)));
        responses.add(updated(teams, Map.of("url",
                receiver.url("/workflows/" + teams + "/invoke?api-version=1&sig=" + teamsSig2))));
        responses.add(send(setup, "GET", "/api/v1/channels", null));
        responses.add(send(caller("operator"), "GET", "/api/v1/deliveries?size=500", null));

        List<String> leaks = new ArrayList<>();
        for (Response r : responses) {
            String body = r.asString();
            for (String s : SECRETS) {
                if (body.contains(s)) {
                    leaks.add("response " + r.statusCode() + " carries secret " + s + ": " + abbreviate(body));
                }
            }
        }
        assertThat(leaks).isEmpty();
        String slackView = send(setup, "GET", "/api/v1/channels/" + slack, null).jsonPath().getString("url");
        assertThat(slackView).isEqualTo(receiver.url("/").replaceAll("/$", "") + "/…");
        assertNothingSecretLogged();
    }

    // ------------------------------------------------------------------------------------------ helpers

    static Response send(String authorization, String method, String path, Object body) {
        return SecurityMatrix.send(authorization, method, path, body);
    }

    static String caller(String name) {
        return CALLERS.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().authorization();
    }

    static String fuzzerToken(int n) {
        String token = TestTokens.builder().subject("sec-fuzzer-" + n).roles("admin").bearer();
        TOKENS.add(token.substring(7));
        return token;
    }

    /** A hostile value as one path segment. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Call raw(String method, String path, String body) {
        return new Call(method, path, body);
    }

    static Call json(String method, String path, Object body) {
        return new Call(method, path, body);
    }

    static Response created(Map<String, Object> body) {
        Response r = send(setup, "POST", "/api/v1/channels", body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r;
    }

    static Response updated(String channel, Map<String, Object> body) {
        Response r = send(setup, "PUT", "/api/v1/channels/" + channel, body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r;
    }

    static String createChannel() {
        String name = unique("sec-ch");
        send(setup, "POST", "/api/v1/channels", Map.of("name", name, "type", "slack",
                "url", receiver.url("/slack/" + name))).then().statusCode(201);
        return name;
    }

    static String createRoute() {
        String name = unique("sec-route");
        send(setup, "POST", "/api/v1/routes", Map.of("name", name, "eventType", "threshold-breached",
                "service", unique("sec-svc"), "channels", List.of("log"))).then().statusCode(201);
        return name;
    }

    /** Status and body of a read, as the setup admin sees it. */
    static String snapshot(String path) {
        Response r = send(setup, "GET", path, null);
        return r.statusCode() + " " + r.asString();
    }

    static String names() {
        return send(setup, "GET", "/api/v1/channels", null).jsonPath().getList("name") + " "
                + send(setup, "GET", "/api/v1/routes", null).jsonPath().getList("name");
    }

    static JsonPath deliveriesOf(String authorization, String query, String value) {
        Response r = given().header("Authorization", authorization).queryParam(query, value)
                .get("/api/v1/deliveries");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath();
    }

    static String randomKey(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static String abbreviate(String s) {
        return SecurityMatrix.abbreviate(s);
    }

    /** The message as it would be written, with its exception and stack trace. */
    static void assertNothingSecretLogged() {
        List<String> forbidden = new ArrayList<>(TOKENS);
        forbidden.addAll(SECRETS);
        log.assertNoneContains(forbidden);
    }
}
