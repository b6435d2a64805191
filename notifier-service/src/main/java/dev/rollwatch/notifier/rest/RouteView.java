package dev.rollwatch.notifier.rest;

import dev.rollwatch.notifier.domain.Route;

import java.time.Instant;
import java.util.List;

public record RouteView(String name, String eventType, String severity, String service, String environment,
        List<String> channels, boolean builtin, Instant createdAt, Instant updatedAt) {

    static RouteView of(Route r) {
        return new RouteView(r.name, r.eventType, r.severity, r.service, r.environment, r.channelList(), r.builtin,
                r.createdAt, r.updatedAt);
    }
}
