package dev.rollwatch.platform.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonThreadsTest {

    @Test
    void aPoolsThreadsAreDaemonsNumberedAfterTheirPool() {
        ThreadFactory factory = DaemonThreads.numbered("monitor-poll");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertThat(first.getName()).isEqualTo("monitor-poll-1");
        assertThat(second.getName()).isEqualTo("monitor-poll-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(second.isDaemon()).isTrue();
        // Each factory counts its own threads.
        assertThat(DaemonThreads.numbered("monitor-probe").newThread(() -> { }).getName()).isEqualTo("monitor-probe-1");
    }

    @Test
    void aSingleThreadsNameIsKeptAsGiven() {
        Thread thread = DaemonThreads.named("audit-replay").newThread(() -> { });
        assertThat(thread.getName()).isEqualTo("audit-replay");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void startRunsTheTaskOnADaemonThreadOfThatName() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        String[] seen = new String[1];
        Thread thread = DaemonThreads.start("outbox-marker", () -> {
            seen[0] = Thread.currentThread().getName();
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(seen[0]).isEqualTo("outbox-marker");
    }
}
