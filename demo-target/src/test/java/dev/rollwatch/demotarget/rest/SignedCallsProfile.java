package dev.rollwatch.demotarget.rest;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The target as a real deployer runs it: with a webhook secret, so only signed driver calls are applied. */
public class SignedCallsProfile implements QuarkusTestProfile {

    static final String SECRET = "whsec_cm9sbHdhdGNoLWRlbW8tdGFyZ2V0LXRlc3Qta2V5ISE=";
    static final String OTHER_SECRET = "whsec_c29tZS1vdGhlci1zZWNyZXQtb2YtMzItYnl0ZXMhISE=";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("demo.webhook-secret", SECRET);
    }
}
