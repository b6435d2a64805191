package dev.rollwatch.platform.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The overall deadline and the byte cap against a raw socket server that misbehaves on purpose. */
class BoundedHttpTest {

    private final ExecutorService server = Executors.newCachedThreadPool();
    private ServerSocket socket;
    private final HttpClient client = BoundedHttp.client(Duration.ofSeconds(1));

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        server.shutdownNow();
    }

    /** Serves every connection with {@code answer}, after reading the request head. */
    private URI serve(Consumer<OutputStream> answer) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    server.execute(() -> {
                        try (s) {
                            InputStream in = s.getInputStream();
                            int a = 0, b = 0, c = 0, d;
                            while ((d = in.read()) >= 0 && !(a == '\r' && b == '\n' && c == '\r' && d == '\n')) {
                                a = b;
                                b = c;
                                c = d;
                            }
                            answer.accept(s.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/x?secret=1");
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aBodyThatDripsEndsAtTheDeadlineThoughTheHeadersCameAtOnce() throws Exception {
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
            try {
                for (int i = 0; i < 100000; i++) {
                    write(out, "x");
                    Thread.sleep(100);
                }
            } catch (InterruptedException | RuntimeException e) {
                // stopped
            }
        });
        // The JDK's own request timeout alone would not end this call: the headers arrive in time.
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(700)).GET().build();
        long start = System.nanoTime();
        BoundedHttp.OutboundException e = assertThrows(BoundedHttp.OutboundException.class,
                () -> BoundedHttp.send(client, request, Duration.ofMillis(700), 1 << 20));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(BoundedHttp.Failure.TIMEOUT, e.failure());
        assertEquals("no complete answer within 700 ms", e.getMessage());
        assertTrue(tookMs >= 650 && tookMs < 2000, "ended after " + tookMs + " ms");
    }

    @Test
    void aBodyOverTheCapIsAnErrorAndIsNotReadToItsEnd() throws Exception {
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(1024);
            for (int i = 0; i < 10_000; i++) { // 10 MB if it were read to the end
                write(out, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            write(out, "0\r\n\r\n");
        });
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        BoundedHttp.OutboundException e = assertThrows(BoundedHttp.OutboundException.class,
                () -> BoundedHttp.send(client, request, Duration.ofSeconds(5), 4096));
        assertEquals(BoundedHttp.Failure.TOO_LARGE, e.failure());
        assertEquals("answer longer than 4096 bytes", e.getMessage());
        assertFalse(e.retriable());
    }

    @Test
    void aDeclaredLengthOverTheCapFailsAtOnce() throws Exception {
        URI uri = serve(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\nabc"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        BoundedHttp.OutboundException e = assertThrows(BoundedHttp.OutboundException.class,
                () -> BoundedHttp.send(client, request, Duration.ofSeconds(5), 4096));
        assertEquals(BoundedHttp.Failure.TOO_LARGE, e.failure());
    }

    @Test
    void aSmallAnswerIsReadWholeAndAStatusOnlyCallDoesNotWaitForTheBody() throws Exception {
        URI uri = serve(out -> write(out, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nhello"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        BoundedHttp.Response r = BoundedHttp.send(client, request, Duration.ofSeconds(5), 4096);
        assertEquals(503, r.status());
        assertEquals("hello", r.text());

        URI dripping = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        socket.close();
        URI slow = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                // stopped
            }
        });
        long start = System.nanoTime();
        BoundedHttp.Response headersOnly = BoundedHttp.send(client,
                HttpRequest.newBuilder(slow).timeout(Duration.ofSeconds(5)).GET().build(), Duration.ofSeconds(5), 0);
        assertEquals(200, headersOnly.status());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2000);
        assertTrue(dripping.getPort() > 0);
    }

    @Test
    void aRefusedConnectionSaysSoInFixedWordsAndRedirectsAreNotFollowed() throws Exception {
        URI uri = serve(out -> write(out, "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\n"
                + "Content-Length: 0\r\n\r\n"));
        BoundedHttp.Response r = BoundedHttp.send(client, HttpRequest.newBuilder(uri).GET().build(),
                Duration.ofSeconds(5), 4096);
        assertEquals(302, r.status());
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        BoundedHttp.OutboundException e = assertThrows(BoundedHttp.OutboundException.class,
                () -> BoundedHttp.send(BoundedHttp.client(Duration.ofSeconds(1)), HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .GET().build(), Duration.ofSeconds(5), 4096));
        assertEquals(BoundedHttp.Failure.CONNECT, e.failure());
        assertEquals("connection refused", e.getMessage());
    }

    @Test
    void aUrlIsShownWithoutItsQueryOrUserInfo() {
        assertEquals("http://example.com:9090/metrics",
                BoundedHttp.where("http://u:p@example.com:9090/metrics?x=1#f"));
        assertEquals("https://t.example/health", BoundedHttp.where("https://t.example/health"));
        assertEquals("(invalid URL)", BoundedHttp.where("not a url"));
    }
}
