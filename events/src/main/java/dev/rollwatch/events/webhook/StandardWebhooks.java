package dev.rollwatch.events.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signing and verification per the Standard Webhooks specification: headers {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature} ({@code v1,<base64 HMAC-SHA256>} over
 * {@code id.timestamp.body}), secrets written {@code whsec_<base64>}. Used by the deploy service's http driver,
 * the notifier's generic webhook channel, and every receiver that checks them (the demo target, tests).
 */
public final class StandardWebhooks {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";
    /** Receivers refuse messages whose timestamp is further than this from their clock (replay protection). */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    public StandardWebhooks(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a webhook secret is required");
        }
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            this.key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret must be whsec_ followed by base64", e);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("a webhook secret must hold at least 16 bytes");
        }
    }

    /** A new random secret in {@code whsec_} form (32 bytes). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The three headers to send with {@code body}. */
    public Map<String, String> headers(String messageId, Instant timestamp, byte[] body) {
        long seconds = timestamp.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, messageId);
        headers.put(TIMESTAMP, Long.toString(seconds));
        headers.put(SIGNATURE, "v1," + sign(messageId, seconds, body));
        return headers;
    }

    public String sign(String messageId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Check a received message. Returns normally when one of the space-separated {@code v1,} signatures matches
     * and the timestamp is within {@code tolerance} of {@code now}; otherwise throws with the reason.
     */
    public void verify(String messageId, String timestamp, String signatureHeader, byte[] body, Instant now,
            Duration tolerance) {
        if (messageId == null || timestamp == null || signatureHeader == null) {
            throw new WebhookVerificationException("missing webhook-id, webhook-timestamp or webhook-signature");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("webhook-timestamp is not a number");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp is outside the tolerance");
        }
        byte[] expected = sign(messageId, seconds, body).getBytes(StandardCharsets.UTF_8);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (candidate.startsWith("v1,")) {
                byte[] given = candidate.substring(3).getBytes(StandardCharsets.UTF_8);
                if (MessageDigest.isEqual(expected, given)) {
                    return;
                }
            }
        }
        throw new WebhookVerificationException("no matching v1 signature");
    }

    /** A received message failed verification. */
    public static final class WebhookVerificationException extends RuntimeException {
        public WebhookVerificationException(String message) {
            super(message);
        }
    }
}
