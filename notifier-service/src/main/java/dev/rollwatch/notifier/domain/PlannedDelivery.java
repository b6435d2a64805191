package dev.rollwatch.notifier.domain;

import java.util.List;

/**
 * One delivery to record for an event: the channel it goes to, the routes that asked for it, and the channels
 * it stands in for when it is the log fallback (empty otherwise).
 */
public record PlannedDelivery(String channel, List<String> routes, List<String> fallbackFor) {
    public PlannedDelivery {
        routes = List.copyOf(routes);
        fallbackFor = List.copyOf(fallbackFor);
    }
}
