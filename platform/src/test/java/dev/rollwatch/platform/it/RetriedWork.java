package dev.rollwatch.platform.it;

import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.RetryTransient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A consumer-shaped method, annotated as every {@code @Incoming} method is: each attempt claims the event in the inbox
 * and then fails while attempts are left in {@code failures}. Counts its attempts per event id, for RetryTransientIT.
 */
@ApplicationScoped
public class RetriedWork {

    public static final String CONSUMER = "retry-it";

    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @Inject
    Inbox inbox;

    /** Answers whether this attempt's inbox claim was the first (the effect would run). */
    @RetryTransient
    @Transactional
    public boolean handle(String eventId, int failures, Supplier<RuntimeException> failure) {
        int attempt = attempts.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
        boolean first = inbox.claim(CONSUMER, "platform-it", eventId, "test.event");
        if (attempt <= failures) {
            throw failure.get();
        }
        return first;
    }

    public int attempts(String eventId) {
        AtomicInteger n = attempts.get(eventId);
        return n == null ? 0 : n.get();
    }
}
