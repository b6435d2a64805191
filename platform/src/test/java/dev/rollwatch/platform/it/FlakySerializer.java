package dev.rollwatch.platform.it;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The outbox producer's value serializer in platform's ITs: bytes as they are, except one send it is told to fail. */
public class FlakySerializer implements Serializer<byte[]> {

    private static final AtomicReference<String> FAIL_ONCE = new AtomicReference<>();
    private static final AtomicInteger FAILED = new AtomicInteger();

    /** The next record whose value contains {@code marker} fails in the producer, once. */
    public static void failOnce(String marker) {
        FAIL_ONCE.set(marker);
    }

    public static int failed() {
        return FAILED.get();
    }

    @Override
    public byte[] serialize(String topic, byte[] data) {
        String marker = FAIL_ONCE.get();
        if (marker != null && data != null && new String(data, StandardCharsets.UTF_8).contains(marker)
                && FAIL_ONCE.compareAndSet(marker, null)) {
            FAILED.incrementAndGet();
            throw new SerializationException("FlakySerializer: failing this send once, as the test asked");
        }
        return data;
    }
}
