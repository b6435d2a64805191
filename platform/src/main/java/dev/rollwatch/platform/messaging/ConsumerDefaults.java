package dev.rollwatch.platform.messaging;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings every Kafka consumer of a service gets, whatever its channel, unless the channel sets them itself.
 *
 * <p>{@code default.api.timeout.ms}: after a partition assignment the connector asks the broker for the committed
 * offsets, with this timeout (Kafka's default: 60 s). A broker that is down longer than that — restarting a broker
 * that was killed means recovering its logs, which took up to 111 s on the 2-core test machine — made the channel
 * fail for good: its liveness check reported DOWN and nothing more was consumed until the service was restarted.
 * With {@code rollwatch.kafka.consumer-api-timeout} (default 10 minutes) a consumer waits for the broker instead and
 * carries on where it was when the broker is back. A longer outage still fails the channel, and liveness says so.
 *
 * <p>{@link ConsumerTiming} as an interceptor: per topic, how long a record took to reach the poll and then the handler.
 */
@ApplicationScoped
public class ConsumerDefaults implements ClientCustomizer<Map<String, Object>> {

    private final Duration apiTimeout;

    public ConsumerDefaults(@ConfigProperty(name = "rollwatch.kafka.consumer-api-timeout", defaultValue = "10m")
            Duration apiTimeout) {
        this.apiTimeout = apiTimeout;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (!isConsumer(config)) {
            return config;
        }
        Map<String, Object> customized = new HashMap<>(config);
        customized.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                apiTimeout.toMillis()));
        Object interceptors = customized.get(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        String timing = ConsumerTiming.class.getName();
        if (interceptors == null || interceptors.toString().isBlank()) {
            customized.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, timing);
        } else if (interceptors instanceof java.util.Collection<?> list) {
            java.util.List<Object> all = new java.util.ArrayList<>(list);
            if (!all.contains(timing) && !all.contains(ConsumerTiming.class)) {
                all.add(timing);
            }
            customized.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, all);
        } else if (!interceptors.toString().contains(timing)) {
            customized.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, interceptors + "," + timing);
        }
        return customized;
    }

    /** A consumer's configuration: it deserializes and has a group; producers (DLQ, outbox) serialize. */
    static boolean isConsumer(Map<String, Object> config) {
        return config.containsKey(ConsumerConfig.GROUP_ID_CONFIG)
                && (config.containsKey(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)
                        || config.containsKey(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG))
                && !config.containsKey(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
                && !config.containsKey(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    }
}
