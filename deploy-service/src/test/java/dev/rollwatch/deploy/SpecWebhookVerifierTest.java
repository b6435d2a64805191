package dev.rollwatch.deploy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test receiver against the Standard Webhooks specification's published example (secret, id, timestamp, body
 * and the signature the reference libraries produce for them), so the receiver that checks every driver call in
 * this module's tests is known to implement the specification, not merely to agree with the signer.
 */
class SpecWebhookVerifierTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final long NOW = 1614265330L;

    private final SpecWebhookVerifier receiver = new SpecWebhookVerifier(SECRET, 300);

    @Test
    void acceptsTheSpecificationsExample() {
        assertThat(receiver.refusal(ID, TIMESTAMP, SIGNATURE, BODY, NOW)).isNull();
        assertThat(receiver.refusal(ID, TIMESTAMP, SIGNATURE, BODY, NOW + 299)).isNull();
    }

    @Test
    void acceptsWhenAnyOfSeveralSignaturesMatches() {
        assertThat(receiver.refusal(ID, TIMESTAMP, "v1,Zm9v v2,abc " + SIGNATURE, BODY, NOW)).isNull();
    }

    @Test
    void refusesAnythingChangedOrStale() {
        assertThat(receiver.refusal(ID, TIMESTAMP, SIGNATURE,
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), NOW)).isNotNull();
        assertThat(receiver.refusal(ID + "x", TIMESTAMP, SIGNATURE, BODY, NOW)).isNotNull();
        assertThat(receiver.refusal(ID, "1614265331", SIGNATURE, BODY, NOW)).isNotNull();
        assertThat(receiver.refusal(ID, TIMESTAMP, "v2," + SIGNATURE.substring(3), BODY, NOW)).isNotNull();
        assertThat(receiver.refusal(ID, TIMESTAMP, SIGNATURE, BODY, NOW + 301)).isNotNull();
        assertThat(receiver.refusal(ID, TIMESTAMP, null, BODY, NOW)).isNotNull();
        assertThat(new SpecWebhookVerifier("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", 300)
                .refusal(ID, TIMESTAMP, SIGNATURE, BODY, NOW)).isNotNull();
    }
}
