package dev.rollwatch.deploy.messaging;

import dev.rollwatch.deploy.report.FigureRepository;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.Consumption;
import dev.rollwatch.platform.messaging.EventConsumer;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/**
 * Keeps the bake window's checkpoints (the monitor's figures after SUCCEEDED) for the deployment report's
 * availability over the bake window, first-hour error rate and downtime. Only the figures table is written, never
 * the deployment row. Replays are ignored; duplicates do nothing; poison goes to the DLQ.
 */
@EventConsumer
public class BakeCheckpointConsumer {

    private static final Logger LOG = Logger.getLogger(BakeCheckpointConsumer.class);

    private final Consumption consumption;
    private final FigureRepository figures;

    public BakeCheckpointConsumer(Consumption consumption, FigureRepository figures) {
        this.consumption = consumption;
        this.figures = figures;
    }

    @Incoming(Topics.BAKE_CHECKPOINTS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        consumption.once(record, BakeCheckpoint.class, this::apply);
    }

    private void apply(Envelope<BakeCheckpoint> event) {
        UUID id;
        try {
            id = UUID.fromString(event.subject());
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warnf("bake checkpoint %s about '%s' ignored: not a deployment id", event.id(), event.subject());
            return;
        }
        BakeCheckpoint c = event.data();
        // The checkpoint's own moment: success + offset; the event time when the monitor did not say when it began.
        Instant at = c.succeededAt() != null ? c.succeededAt().plus(c.after()) : event.time();
        boolean recorded = figures.record(id, FigureRepository.BAKE, c.index(), at, c.verdict(), c.last(), c.checks(),
                event.id());
        LOG.infof("deployment %s bake checkpoint %d/%d after %s: %s%s (event %s)", id, c.index(), c.of(), c.after(),
                c.verdict(), recorded ? "" : ", already recorded", event.id());
    }
}
