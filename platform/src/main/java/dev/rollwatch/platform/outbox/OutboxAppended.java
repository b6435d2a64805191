package dev.rollwatch.platform.outbox;

/** Fired inside the business transaction; observed after it commits, to publish at once. */
record OutboxAppended(String id, String topic, String key, String type, byte[] payload) {
}
