package dev.rollwatch.deploy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification alone (it does not use the
 * events module's {@code StandardWebhooks}, which the driver signs with, so a mistake shared by signer and
 * verifier cannot hide): the secret is {@code whsec_} + base64 key; the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<raw body>}; the header holds space-separated {@code v1,<base64 HMAC-SHA256>}
 * signatures of which one must match; the timestamp (Unix seconds) must be within the tolerance of the receiver's
 * clock. Proven against the specification's published example in {@code SpecWebhookVerifierTest}.
 */
public final class SpecWebhookVerifier {

    private final byte[] key;
    private final long toleranceSeconds;

    public SpecWebhookVerifier(String secret, long toleranceSeconds) {
        String base64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        this.key = Base64.getDecoder().decode(base64);
        this.toleranceSeconds = toleranceSeconds;
    }

    /** Null when the message is authentic and fresh, else why it is refused. */
    public String refusal(String id, String timestamp, String signatureHeader, byte[] body, long nowSeconds) {
        if (id == null || timestamp == null || signatureHeader == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not an integer";
        }
        if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
            return "webhook-timestamp too far from now";
        }
        byte[] expected = expected(id, timestamp, body);
        for (String part : signatureHeader.split(" ")) {
            int comma = part.indexOf(',');
            if (comma < 0 || !part.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(part.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return null;
            }
        }
        return "no v1 signature matches";
    }

    private byte[] expected(String id, String timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
