package dev.rollwatch.platform.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread factories of the services' own pools, written once: daemon threads (a pool a service forgot to shut
 * down never keeps the JVM alive at exit), named so a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code <prefix>-1}, {@code <prefix>-2}, … for a pool of several. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + count.incrementAndGet());
    }

    /** Threads all named {@code name}, for a single-thread executor. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** A started daemon thread running {@code task}. */
    public static Thread start(String name, Runnable task) {
        Thread thread = daemon(task, name);
        thread.start();
        return thread;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
