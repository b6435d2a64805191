package dev.rollwatch.rollback.messaging;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.platform.inbox.Inbox;
import dev.rollwatch.platform.messaging.InboundEvents;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.rollback.service.Recoveries;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Records every recovery once: a redelivered one (same source and id) changes nothing; poison goes to the DLQ. */
@ApplicationScoped
public class ThresholdRecoveredConsumer {

    static final String CONSUMER = "rollback-service/threshold-recovered";

    private final Inbox inbox;
    private final Recoveries recoveries;

    public ThresholdRecoveredConsumer(Inbox inbox, Recoveries recoveries) {
        this.inbox = inbox;
        this.recoveries = recoveries;
    }

    @RetryTransient
    @Incoming("threshold-recovered")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (InboundEvents.isReplay(record)) {
            return;
        }
        Envelope<ThresholdRecovered> event = InboundEvents.decode(record).as(ThresholdRecovered.class);
        if (!inbox.claim(CONSUMER, event)) {
            return;
        }
        recoveries.recovered(event);
    }
}
