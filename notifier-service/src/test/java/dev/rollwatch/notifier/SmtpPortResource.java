package dev.rollwatch.notifier;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Points the mailer at a free port on 127.0.0.1, where {@link EmailIT} runs a real SMTP server (GreenMail). The
 * server is started by the test itself, so the test reads the messages from the same object; the app only
 * connects when it sends.
 */
public class SmtpPortResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Map.of("quarkus.mailer.host", "127.0.0.1",
                    "quarkus.mailer.port", Integer.toString(socket.getLocalPort()),
                    "quarkus.mailer.from", "rollwatch@rollwatch.test");
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the test SMTP server", e);
        }
    }

    @Override
    public void stop() {
    }
}
