package dev.rollwatch.notifier.service;

import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.channel.ChannelSenders;
import dev.rollwatch.notifier.channel.log.LogChannelSender;
import dev.rollwatch.notifier.config.NotifierConfig;
import dev.rollwatch.notifier.domain.SendResult;
import dev.rollwatch.platform.concurrent.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers asynchronously from the consumer. Deliveries start the moment the consumer's transaction commits
 * (post-commit hand-off) and retries start when their backoff ends (an in-memory timer); a periodic poll of due
 * rows is the safety net for both, e.g. after a restart or an expired lease.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final DeliveryStore store;
    private final ChannelSenders senders;
    private final ChannelRateLimiter rateLimiter;
    private final int pollBatch;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;

    public DeliveryWorker(DeliveryStore store, ChannelSenders senders, ChannelRateLimiter rateLimiter,
            NotifierConfig config) {
        this.store = store;
        this.senders = senders;
        this.rateLimiter = rateLimiter;
        this.pollBatch = config.delivery().pollBatch();
        this.pool = Executors.newFixedThreadPool(config.delivery().workers(),
                DaemonThreads.numbered("notifier-delivery"));
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("notifier-retry-timer"));
    }

    void onRecorded(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeliveriesRecorded recorded) {
        recorded.ids().forEach(this::submit);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Scheduled(every = "${rollwatch.notifier.delivery.poll-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            for (DeliveryStore.Claim claim : store.claimDue(pollBatch)) {
                execute(() -> attempt(claim));
            }
        } catch (RuntimeException e) {
            LOG.warnf("delivery poll failed, will retry: %s", e.getMessage());
        }
    }

    private void submit(UUID id) {
        execute(() -> store.claim(id).ifPresent(this::attempt));
    }

    private void execute(Runnable task) {
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // The lease expires and the poll retries it.
                    LOG.errorf(e, "delivery attempt failed unexpectedly");
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("delivery pool is shutting down; the poll picks the delivery up after restart");
        }
    }

    private void attempt(DeliveryStore.Claim claim) {
        // A P0 page never waits behind the channel's rate limit (phases, checkpoints and chat may; they are few).
        if (claim.unusableReason() == null && !LogChannelSender.TYPE.equals(claim.channel().type())
                && !ChannelRateLimiter.exempt(claim.alert().severity())) {
            Duration wait = rateLimiter.tryAcquire(claim.channel().name());
            if (!wait.isZero()) {
                if (store.postpone(claim, wait)) {
                    retryAfter(claim, wait);
                }
                return;
            }
        }
        SendResult result;
        if (claim.unusableReason() != null) {
            result = new SendResult.Rejected(null, claim.unusableReason());
        } else {
            ChannelSender sender = senders.forType(claim.channel().type()).orElse(null);
            if (sender == null) {
                result = new SendResult.Rejected(null, "no sender for channel type " + claim.channel().type());
            } else {
                try {
                    result = sender.send(claim.channel(), claim.alert());
                } catch (RuntimeException e) {
                    result = new SendResult.Retryable(null, "sender error (" + e.getClass().getSimpleName() + ")",
                            null);
                }
            }
        }
        Duration retryIn = store.complete(claim, result);
        if (retryIn != null) {
            retryAfter(claim, retryIn);
        }
    }

    private void retryAfter(DeliveryStore.Claim claim, Duration retryIn) {
        try {
            timer.schedule(() -> submit(claim.deliveryId()), Math.max(retryIn.toMillis(), 0), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("retry timer is shutting down; the poll picks the retry up after restart");
        }
    }
}
