package dev.rollwatch.platform.warmup;

/**
 * A piece of a service's hot path run once at start-up, before the first real event needs it, so that the first
 * breach after a start is decided as fast as the hundredth (class loading, first JIT, first connection, first topic
 * metadata). A service declares its own as CDI beans; {@link Warmup} runs them after the platform's own.
 *
 * <p>A task must change nothing a user could observe: no event published, no row left behind (run database work
 * in a transaction that is rolled back), no outbound call to anything but the service itself.
 */
public interface WarmupTask {

    /** A short name for the log line that reports the warm-up. */
    String name();

    /** Runs the code path once; the runner repeats it {@code rollwatch.warmup.iterations} times. */
    void run() throws Exception;
}
