package dev.rollwatch.console;

import dev.rollwatch.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Points the console's deploy upstream at a {@link FakeUpstream}, its monitor upstream at a port nothing listens on,
 * and its token verification at {@link TestTokens}' key.
 */
public class FakeUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private FakeUpstream upstream;

    @Override
    public Map<String, String> start() {
        try {
            upstream = FakeUpstream.start();
            Map<String, String> config = new HashMap<>(TestTokens.serviceConfig());
            config.put("rollwatch.console.upstream.deploy", upstream.url());
            config.put("rollwatch.console.upstream.monitor", "http://127.0.0.1:" + FakeUpstream.closedPort());
            config.put("rollwatch.console.proxy.deadline", "3s");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.stop();
        }
    }
}
