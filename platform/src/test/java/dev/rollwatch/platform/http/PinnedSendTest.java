package dev.rollwatch.platform.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BoundedHttp#send(HttpClient, HttpRequest, Duration, long, OutboundUrlPolicy, String)} connects to the
 * address the policy vetted: a name that answers a different address afterwards (DNS rebinding) is not looked up
 * again, a refused name is never connected to, and https still checks the certificate against the name.
 */
class PinnedSendTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static Vertx vertx;
    static HttpServer plain;
    static HttpServer tls;
    static final AtomicInteger connections = new AtomicInteger();
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();
    static Path keystore;
    static PinnedTransport trusting;

    private final HttpClient client = BoundedHttp.client(Duration.ofSeconds(2));

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        keystore = dir.resolve("pinned.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "pinned", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=pinned.test", "-ext", "SAN=dns:pinned.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        vertx = Vertx.vertx();
        plain = vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
                .requestHandler(r -> {
                    seen.add(r.method() + " " + r.uri() + " host=" + r.headers().get("Host"));
                    if (r.path().equals("/drip")) { // headers, one byte, then nothing for ever
                        r.response().setChunked(true).write("a");
                        return;
                    }
                    r.body().onSuccess(b -> r.response().putHeader("X-Echo", b.toString()).end("pinned"));
                })
                .listen(0, LOOPBACK.getHostAddress()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        PfxOptions pfx = new PfxOptions().setPath(keystore.toString()).setPassword("changeit");
        tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(pfx))
                .requestHandler(r -> {
                    seen.add("TLS sni=" + r.connection().indicatedServerName() + " host=" + r.headers().get("Host"));
                    r.response().end("secure");
                })
                .listen(0, LOOPBACK.getHostAddress()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        trusting = new PinnedTransport(new PfxOptions().setPath(keystore.toString()).setPassword("changeit"));
    }

    @AfterAll
    static void stop() {
        trusting.close();
        vertx.close();
    }

    /** A resolver that answers {@code first} once and {@code later} on every later call. */
    static OutboundUrlPolicy.Resolver rebinding(String first, String later, AtomicInteger calls) {
        return host -> {
            if (!host.endsWith(".test")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(calls.getAndIncrement() == 0 ? first : later)};
        };
    }

    @Test
    void theConnectionGoesToTheVettedAddressEvenIfTheNameAnswersAnotherOneLater() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        OutboundUrlPolicy policy = new OutboundUrlPolicy(false, true, List.of(),
                rebinding("127.0.0.1", "169.254.169.254", lookups));
        seen.clear();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://rebind.test:" + plain.actualPort()
                + "/hook?x=1")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();

        BoundedHttp.Response response = BoundedHttp.send(client, request, Duration.ofSeconds(5), 1024, policy, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("pinned");
        assertThat(response.headers().firstValue("X-Echo")).contains("{\"a\":1}");
        assertThat(lookups).hasValue(1); // checked once; the connection used that answer (rebind.test is no real name)
        assertThat(seen).containsExactly("POST /hook?x=1 host=rebind.test:" + plain.actualPort());
        // the next call is checked again, sees the rebound address and is refused before connecting
        int before = connections.get();
        assertThatThrownBy(() -> BoundedHttp.send(client, request, Duration.ofSeconds(5), 1024, policy, null))
                .isInstanceOf(OutboundUrlPolicy.RefusedDestination.class)
                .hasMessage("host rebind.test resolves to a link-local address 169.254.169.254");
        assertThat(connections.get()).isEqualTo(before);
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsNeverConnectedTo() {
        OutboundUrlPolicy production = new OutboundUrlPolicy(false, false, List.of(),
                rebinding("127.0.0.1", "127.0.0.1", new AtomicInteger()));
        int before = connections.get();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://local.test:" + plain.actualPort() + "/"))
                .GET().build();
        assertThatThrownBy(() -> BoundedHttp.send(client, request, Duration.ofSeconds(5), 1024, production, null))
                .isInstanceOf(OutboundUrlPolicy.RefusedDestination.class)
                .hasMessage("host local.test resolves to a loopback address 127.0.0.1");
        assertThat(connections.get()).isEqualTo(before);
    }

    @Test
    void anEnvironmentsAllowListOpensAnInternalAddressForThatEnvironment() throws Exception {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(false, false, List.of(),
                Map.of("local", List.of("127.0.0.0/8")), rebinding("127.0.0.1", "127.0.0.1", new AtomicInteger()));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://svc.test:" + plain.actualPort() + "/h"))
                .GET().build();
        assertThat(BoundedHttp.send(client, request, Duration.ofSeconds(5), 1024, policy, "local").status())
                .isEqualTo(200);
        assertThatThrownBy(() -> BoundedHttp.send(client, request, Duration.ofSeconds(5), 1024, policy, "prod"))
                .isInstanceOf(OutboundUrlPolicy.RefusedDestination.class);
    }

    @Test
    void httpsChecksTheCertificateAndSendsSniForTheNameWhileConnectingToTheVettedAddress() throws Exception {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(true, true, List.of(),
                rebinding("127.0.0.1", "169.254.169.254", new AtomicInteger()));
        seen.clear();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://pinned.test:" + tls.actualPort() + "/x"))
                .GET().build();
        OutboundUrlPolicy.Destination destination = policy.check(request.uri().toString());

        BoundedHttp.Response response = trusting.send(request, destination, Duration.ofSeconds(2),
                Duration.ofSeconds(5), 1024);

        assertThat(response.text()).isEqualTo("secure");
        assertThat(seen).containsExactly("TLS sni=pinned.test host=pinned.test:" + tls.actualPort());
    }

    @Test
    void httpsToANameTheCertificateDoesNotNameFailsAlthoughTheAddressIsTheSame() throws Exception {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(true, true, List.of(),
                rebinding("127.0.0.1", "127.0.0.1", new AtomicInteger()));
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://other.test:" + tls.actualPort() + "/x"))
                .GET().build();
        OutboundUrlPolicy.Destination destination = policy.check(request.uri().toString());
        assertThatThrownBy(() -> trusting.send(request, destination, Duration.ofSeconds(2), Duration.ofSeconds(5),
                1024)).isInstanceOf(BoundedHttp.OutboundException.class);
    }

    @Test
    void theCapAndTheStatusOnlyModeApplyOnThePinnedPath() throws Exception {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(false, true, List.of(), host -> new InetAddress[] {LOOPBACK});
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://cap.test:" + plain.actualPort() + "/"))
                .GET().build();
        assertThatThrownBy(() -> BoundedHttp.send(client, request, Duration.ofSeconds(5), 3, policy, null))
                .isInstanceOfSatisfying(BoundedHttp.OutboundException.class,
                        e -> assertThat(e.failure()).isEqualTo(BoundedHttp.Failure.TOO_LARGE));
        BoundedHttp.Response headersOnly = BoundedHttp.send(client, request, Duration.ofSeconds(5), 0, policy, null);
        assertThat(headersOnly.status()).isEqualTo(200);
        assertThat(headersOnly.body()).isEmpty();
    }

    @Test
    void theDeadlineCoversTheBodyOnThePinnedPath() {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(false, true, List.of(), host -> new InetAddress[] {LOOPBACK});
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://drip.test:" + plain.actualPort() + "/drip"))
                .GET().build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> BoundedHttp.send(client, request, Duration.ofMillis(500), 1024, policy, null))
                .isInstanceOfSatisfying(BoundedHttp.OutboundException.class,
                        e -> assertThat(e.failure()).isEqualTo(BoundedHttp.Failure.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
}
