package dev.rollwatch.monitor.provider.scrape;

import com.sun.net.httpserver.HttpServer;
import dev.rollwatch.events.CheckSpec;
import dev.rollwatch.events.Severity;
import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every watch reading the same metrics page shares one read of it (issue 16, target 4): against a real HTTP endpoint
 * serving ten services on one page, with the provider's clock held still or moved by the test.
 */
class SharedPageTest {

    private static final int SERVICES = 10;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private OutboundUrlPolicy policy;
    /** Held closed to keep a read in flight; open by default. */
    private volatile CountDownLatch answer = new CountDownLatch(0);
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T06:00:00Z"));
    private ScrapeProvider provider;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            int n = requests.incrementAndGet();
            try {
                answer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (status.get() != 200) {
                exchange.sendResponseHeaders(status.get(), -1);
                exchange.close();
                return;
            }
            StringBuilder page = new StringBuilder("# TYPE queue_size gauge\n# TYPE http_requests_total counter\n");
            for (int i = 0; i < SERVICES; i++) {
                // each service's queue is 100 + its number; its canary answered 50 requests per read, i of them 500
                page.append("queue_size{service=\"svc-%d\",version=\"2.4.0\"} %d\n".formatted(i, 100 + i));
                page.append("http_requests_total{service=\"svc-%d\",version=\"2.4.0\",code=\"200\"} %d\n"
                        .formatted(i, (50 - i) * n));
                page.append("http_requests_total{service=\"svc-%d\",version=\"2.4.0\",code=\"500\"} %d\n"
                        .formatted(i, i * n));
            }
            byte[] bytes = page.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        OutboundUrlPolicy local = new OutboundUrlPolicy(false, true, List.of(),
                host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        policy = local;
        // Each read adds 50 requests per canary: a rate over one pair of reads is measured (the minimum has its own
        // case below, with the default of 100).
        provider = new ScrapeProvider(local, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), 50);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    private WatchedDeployment watch(int i, String environment) {
        return new WatchedDeployment("deployment-" + i + "-" + environment, "svc-" + i, environment, "2.4.0", null,
                url());
    }

    private static CheckRule check(String metric) {
        return check(metric, Duration.ofSeconds(1));
    }

    private static CheckRule check(String metric, Duration interval) {
        return check(metric.replace('_', '-'), metric, interval);
    }

    private static CheckRule check(String name, String metric, Duration interval) {
        return CheckRule.from(new CheckSpec(name, "scrape", metric, null, null, 1e9, interval, interval, 1, 3,
                Severity.P1));
    }

    @Test
    void tenWatchesMeasuredWhileTheReadIsInFlightShareOneReadAndEachGetsItsOwnService() throws Exception {
        answer = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(SERVICES);
        try {
            List<Future<Reading>> readings = new ArrayList<>();
            for (int i = 0; i < SERVICES; i++) {
                WatchedDeployment w = watch(i, "production");
                readings.add(pool.submit(() -> provider.measure(check("queue_size"), w)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() >= 1);
            answer.countDown();
            for (int i = 0; i < SERVICES; i++) {
                Reading r = readings.get(i).get(10, TimeUnit.SECONDS);
                assertThat(r.kind()).as("svc-%d", i).isEqualTo(Reading.Kind.MEASURED);
                assertThat(r.value()).as("svc-%d's own queue", i).isEqualTo(100.0 + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests.get()).as("reads of the page for ten watches").isEqualTo(1);
    }

    @Test
    void aPageIsReusedUntilItIsHalfASecondOldThenReadAgain() {
        provider.measure(check("queue_size"), watch(0, "production"));
        clock.advance(Duration.ofMillis(300));
        provider.measure(check("queue_size"), watch(1, "production"));
        assertThat(requests.get()).isEqualTo(1);

        clock.advance(Duration.ofMillis(200)); // 500 ms after the read
        provider.measure(check("queue_size"), watch(2, "production"));
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void whileThePageIsReadAgainAWatchGetsTheReadBeforeItIfThatIsUnderTwoSecondsOld() throws Exception {
        provider.measure(check("queue_size"), watch(0, "production"));
        clock.advance(Duration.ofMillis(600)); // stale: the next watch reads the page again
        answer = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Reading> reading = pool.submit(() -> provider.measure(check("queue_size"), watch(1, "production")));
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 2);

            // the read is held in flight; another watch does not wait for it
            Reading meanwhile = pool.submit(() -> provider.measure(check("queue_size"), watch(2, "production")))
                    .get(5, TimeUnit.SECONDS);
            assertThat(meanwhile.kind()).isEqualTo(Reading.Kind.MEASURED);
            assertThat(meanwhile.value()).isEqualTo(102.0);
            assertThat(meanwhile.observedAt()).as("the read before, 600 ms old").isEqualTo(clock.instant()
                    .minusMillis(600));
            assertThat(reading.isDone()).isFalse();

            answer.countDown();
            assertThat(reading.get(10, TimeUnit.SECONDS).observedAt()).isEqualTo(clock.instant());
        } finally {
            answer.countDown();
            pool.shutdownNow();
        }
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aWatchWaitsForTheReadInFlightWhenTheReadBeforeIsTwoSecondsOld() throws Exception {
        provider.measure(check("queue_size"), watch(0, "production"));
        clock.advance(Duration.ofMillis(ScrapeProvider.STALE_PAGE_MS));
        answer = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Reading> reading = pool.submit(() -> provider.measure(check("queue_size"), watch(1, "production")));
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 2);
            Future<Reading> waiting = pool.submit(() -> provider.measure(check("queue_size"), watch(2, "production")));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
            answer.countDown();
            assertThat(waiting.get(10, TimeUnit.SECONDS).observedAt()).isEqualTo(clock.instant());
            assertThat(reading.get(10, TimeUnit.SECONDS).kind()).isEqualTo(Reading.Kind.MEASURED);
        } finally {
            answer.countDown();
            pool.shutdownNow();
        }
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aRateIsNeverMeasuredOverLessThanHalfTheChecksInterval() {
        WatchedDeployment w = watch(4, "production");
        CheckRule everyTwoSeconds = check("error_rate", Duration.ofSeconds(2));
        assertThat(provider.measure(everyTwoSeconds, w).kind()).isEqualTo(Reading.Kind.NOT_YET); // baseline
        clock.advance(Duration.ofMillis(600)); // a new read, but 600 ms after the baseline: under half of 2 s
        assertThat(provider.measure(everyTwoSeconds, w).kind()).isEqualTo(Reading.Kind.NOT_YET);
        assertThat(requests.get()).isEqualTo(2);

        clock.advance(Duration.ofMillis(500)); // the first read stayed the baseline: a third read, 1.1 s after it
        Reading rate = provider.measure(everyTwoSeconds, w);
        assertThat(rate.kind()).isEqualTo(Reading.Kind.MEASURED);
        assertThat(rate.value()).as("over the first and third reads: 8 of 100 requests failed").isEqualTo(0.08);
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void aRateWaitsForEnoughRequestsOfTheVersionAndItsBaselineStaysMeanwhile() {
        ScrapeProvider strict = new ScrapeProvider(policy, clock,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), 100);
        WatchedDeployment w = watch(4, "production");
        CheckRule everySecond = check("error_rate");
        assertThat(strict.measure(everySecond, w).kind()).isEqualTo(Reading.Kind.NOT_YET); // baseline
        clock.advance(Duration.ofSeconds(1));
        Reading tooFew = strict.measure(everySecond, w);
        assertThat(tooFew.kind()).as("50 requests since the baseline").isEqualTo(Reading.Kind.NOT_YET);
        assertThat(tooFew.reason()).contains("only 50 requests").contains("at least 100");

        clock.advance(Duration.ofSeconds(1));
        Reading rate = strict.measure(everySecond, w);
        assertThat(rate.kind()).isEqualTo(Reading.Kind.MEASURED);
        assertThat(rate.value()).as("over the first and third reads: 8 of 100 requests failed").isEqualTo(0.08);
        assertThat(requests.get()).isEqualTo(3);
        assertThatThrownBy(() -> new ScrapeProvider(policy, clock,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), 0))
                .hasMessageContaining("min-requests");
    }

    @Test
    void aCheckJudgedFromAStepOnMeasuresAtItsFirstPollFromTheDeploymentsReadBefore() {
        WatchedDeployment w = watch(4, "production");
        CheckRule always = check("error_rate");
        CheckRule criterion = check("phase-error-rate", "error_rate", Duration.ofSeconds(1));
        assertThat(provider.measure(always, w).kind()).isEqualTo(Reading.Kind.NOT_YET); // the deployment's first read
        clock.advance(Duration.ofSeconds(1));
        assertThat(provider.measure(always, w).kind()).isEqualTo(Reading.Kind.MEASURED);

        // the step opens: its criterion's first poll, in the same round, starts from the read 1 s before
        Reading first = provider.measure(criterion, w);
        assertThat(first.kind()).isEqualTo(Reading.Kind.MEASURED);
        assertThat(first.value()).isEqualTo(4 / 50.0);
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aChecksFirstPollIsOnlyABaselineWhenTheDeploymentsReadBeforeIsUnderHalfItsIntervalOlder() {
        WatchedDeployment w = watch(4, "production");
        CheckRule always = check("error_rate");
        CheckRule everyFourSeconds = check("phase-error-rate", "error_rate", Duration.ofSeconds(4));
        provider.measure(always, w);
        clock.advance(Duration.ofSeconds(1));
        provider.measure(always, w);

        assertThat(provider.measure(everyFourSeconds, w).kind()).as("1 s of a 4 s interval: too few requests")
                .isEqualTo(Reading.Kind.NOT_YET);
        clock.advance(Duration.ofSeconds(2)); // its own baseline now 2 s old: half its interval
        assertThat(provider.measure(everyFourSeconds, w).kind()).isEqualTo(Reading.Kind.MEASURED);
    }

    @Test
    void anotherEnvironmentReadsThePageItselfUnderItsOwnPolicy() {
        provider.measure(check("queue_size"), watch(0, "production"));
        provider.measure(check("queue_size"), watch(1, "staging"));
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aRateNeedsTwoDifferentReadsAndIsThatServicesOwn() {
        WatchedDeployment w = watch(4, "production");
        assertThat(provider.measure(check("error_rate"), w).kind()).isEqualTo(Reading.Kind.NOT_YET); // baseline
        clock.advance(Duration.ofMillis(300)); // the same page again: not a second scrape
        assertThat(provider.measure(check("error_rate"), w).kind()).isEqualTo(Reading.Kind.NOT_YET);

        clock.advance(Duration.ofSeconds(1));
        Reading rate = provider.measure(check("error_rate"), w);
        assertThat(rate.kind()).isEqualTo(Reading.Kind.MEASURED);
        assertThat(rate.value()).isEqualTo(4 / 50.0); // svc-4: 4 of each read's 50 requests failed
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aFailedReadIsEveryReadersOutageSignal() {
        status.set(503);
        for (int i = 0; i < 3; i++) {
            Reading r = provider.measure(check("queue_size"), watch(i, "production"));
            assertThat(r.kind()).isEqualTo(Reading.Kind.ERROR);
            assertThat(r.reason()).endsWith("failed: HTTP 503");
            assertThat(provider.reachability("deployment-" + i + "-production").up()).isFalse();
        }
        assertThat(requests.get()).isEqualTo(1);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
