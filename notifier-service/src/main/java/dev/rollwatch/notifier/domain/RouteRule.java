package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.Severity;

import java.util.List;

/** A route as data: every non-null match field must equal the event's; then its channels are notified. */
public record RouteRule(String name, AlertKind kind, Severity severity, String service, String environment,
        List<String> channels) {

    public RouteRule {
        channels = List.copyOf(channels);
    }

    public boolean matches(AlertFacts facts) {
        return (kind == null || kind == facts.kind())
                && (severity == null || severity == facts.severity())
                && (service == null || service.equals(facts.service()))
                && (environment == null || environment.equals(facts.environment()));
    }
}
