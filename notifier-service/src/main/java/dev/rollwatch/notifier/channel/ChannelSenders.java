package dev.rollwatch.notifier.channel;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The senders by channel type. */
@ApplicationScoped
public class ChannelSenders {

    private final Map<String, ChannelSender> byType = new TreeMap<>();

    public ChannelSenders(Instance<ChannelSender> senders) {
        senders.forEach(s -> byType.put(s.type(), s));
    }

    public Optional<ChannelSender> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public java.util.Set<String> types() {
        return byType.keySet();
    }
}
