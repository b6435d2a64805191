package dev.rollwatch.monitor.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.SamplesReported;
import dev.rollwatch.events.Topics;
import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.service.SampleEvaluator;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.platform.security.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The push provider's Kafka twin: {@code SamplesReported} batches from the {@code metric-samples} topic, judged
 * by the same path as {@code POST /api/v1/samples}, in order. Each batch is claimed in the inbox in the
 * transaction that judges it (a redelivery judges nothing twice); replays are ignored; poison goes to
 * {@code metric-samples.dlq}, and so does a batch REST would refuse (a value that is not a finite number, more than
 * {@code max-samples-per-request} samples, an {@code observedAt} more than {@code max-clock-skew} ahead), with
 * nothing of it recorded. A batch for a deployment with no watch, or a stopped one, is dropped with a log line
 * (there is nobody to answer 404 to).
 *
 * <p>Not an {@code @EventConsumer}: the batch is checked before any transaction and its breach latency recorded after
 * the commit, so it claims ({@link Consumption#consumer}'s name) and judges in a transaction of its own.
 *
 * <p>Scope: a record carries no identity the monitor could verify (its {@code source} is whatever the producer
 * wrote; the broker authenticates the producer but does not tell the consumer who it was). The control is the
 * broker's ACL — only the principals of your agents may WRITE {@code metric-samples} — together with the services
 * those principals are trusted for as a whole: {@code rollwatch.monitor.metric-samples.services} (a list, {@code *}
 * for all; unset: none). A batch for a watch of any other service goes to the DLQ, nothing of it judged, checked
 * under the watch's lock against the service the deployment was started for (DeploymentStarted, deploy-service).
 */
@ApplicationScoped
public class MetricSamplesConsumer {

    private static final Logger LOG = Logger.getLogger(MetricSamplesConsumer.class);

    private final Inbox inbox;
    private final Consumption consumption;
    private final SampleEvaluator evaluator;
    private final MonitorConfig config;

    /** The services whose watches the topic may feed; {@code null}: all of them. */
    private final Set<String> fed;

    public MetricSamplesConsumer(Inbox inbox, Consumption consumption, SampleEvaluator evaluator,
            MonitorConfig config) {
        this.inbox = inbox;
        this.consumption = consumption;
        this.evaluator = evaluator;
        this.config = config;
        Set<String> listed = new LinkedHashSet<>();
        config.metricSamples().services().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .forEach(listed::add);
        this.fed = listed.contains(Caller.ALL) ? null : Set.copyOf(listed);
        if (fed != null && fed.isEmpty()) {
            LOG.info("rollwatch.monitor.metric-samples.services is not set: every batch on the metric-samples topic "
                    + "for a watched deployment goes to the DLQ (give the services your agents' principals may feed, "
                    + "or *)");
        }
    }

    private boolean mayFeed(String service) {
        return fed == null || fed.contains(service);
    }

    @RetryTransient
    @Incoming(Topics.METRIC_SAMPLES)
    @Blocking
    public void samplesReported(ConsumerRecord<String, byte[]> record) {
        long received = System.nanoTime();
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<SamplesReported> event = InboundEvents.decode(record).as(SamplesReported.class);
        String deploymentId = event.data().deploymentId();
        if (event.data().samples().size() > config.maxSamplesPerRequest()) {
            // Before anything is claimed or judged: the failure strategy sends the record to the DLQ.
            throw new IllegalArgumentException("SamplesReported " + event.id() + ": " + event.data().samples().size()
                    + " samples in one batch; at most " + config.maxSamplesPerRequest());
        }
        Instant latest = Instant.now().plus(config.maxClockSkew());
        for (int i = 0; i < event.data().samples().size(); i++) {
            Instant at = event.data().samples().get(i).observedAt();
            if (at != null && at.isAfter(latest)) {
                // Thrown before anything is claimed or judged: the failure strategy sends the record to the DLQ.
                throw new IllegalArgumentException("SamplesReported " + event.id() + ": samples[" + i
                        + "].observedAt " + at + " is in the future (more than " + config.maxClockSkew() + " ahead)");
            }
        }
        List<SampleEvaluator.Sample> samples = event.data().samples().stream()
                .map(s -> new SampleEvaluator.Sample(s.metric(), s.value(), s.observedAt(), s.version())).toList();
        Optional<List<SampleEvaluator.SampleEvaluation>> evaluated = QuarkusTransaction.requiringNew().call(() -> {
            if (!inbox.claim(consumption.consumer(record.topic()), event)) {
                return null;
            }
            return evaluator.evaluateIfWatching(deploymentId, samples, this::mayFeed);
        });
        if (evaluated == null) {
            LOG.debugf("SamplesReported %s for deployment %s was judged already", event.id(), deploymentId);
        } else if (evaluated.isEmpty()) {
            LOG.warnf("SamplesReported %s: %d samples for deployment %s dropped: no watch, or it stopped", event.id(),
                    samples.size(), deploymentId);
        } else {
            evaluator.recordBreachLatency(received, evaluated.get());
            List<String> breaches = evaluated.get().stream().flatMap(e -> e.checks().stream())
                    .map(SampleEvaluator.CheckEvaluation::breachEventId).filter(Objects::nonNull).toList();
            LOG.debugf("SamplesReported %s: %d samples for deployment %s judged, breaches %s", event.id(),
                    samples.size(), deploymentId, breaches);
        }
    }
}
