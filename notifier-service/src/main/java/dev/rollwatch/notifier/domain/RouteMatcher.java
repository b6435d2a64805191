package dev.rollwatch.notifier.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routing as a pure function: matching routes → channels → deliveries. A channel that is not configured (or is
 * disabled) is replaced by the built-in log channel, so an alert is never silently dropped; several replaced
 * channels share one log delivery, because there is one delivery per (event, channel).
 */
public final class RouteMatcher {

    public static final String LOG_CHANNEL = "log";

    private RouteMatcher() {
    }

    /** Channel → names of the routes that selected it, in route order then channel order. */
    public static Map<String, List<String>> match(List<RouteRule> routes, AlertFacts facts) {
        Map<String, List<String>> byChannel = new LinkedHashMap<>();
        for (RouteRule route : routes) {
            if (route.matches(facts)) {
                for (String channel : route.channels()) {
                    byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(route.name());
                }
            }
        }
        return byChannel;
    }

    /** The deliveries for an event, given which channels are usable now. */
    public static List<PlannedDelivery> plan(List<RouteRule> routes, AlertFacts facts, Set<String> usableChannels) {
        Map<String, List<String>> matched = match(routes, facts);
        Map<String, Set<String>> routesByChannel = new LinkedHashMap<>();
        Map<String, Set<String>> fallbackFor = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : matched.entrySet()) {
            String channel = e.getKey();
            boolean usable = LOG_CHANNEL.equals(channel) || usableChannels.contains(channel);
            String target = usable ? channel : LOG_CHANNEL;
            routesByChannel.computeIfAbsent(target, c -> new LinkedHashSet<>()).addAll(e.getValue());
            if (!usable) {
                fallbackFor.computeIfAbsent(target, c -> new LinkedHashSet<>()).add(channel);
            }
        }
        List<PlannedDelivery> planned = new ArrayList<>();
        routesByChannel.forEach((channel, routeNames) -> planned.add(new PlannedDelivery(channel,
                List.copyOf(routeNames), List.copyOf(fallbackFor.getOrDefault(channel, Set.of())))));
        return planned;
    }
}
