package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RouteMatcherTest {

    /** The runbook defaults exactly as V1 seeds them. */
    static final List<RouteRule> RUNBOOK = List.of(
            rule("p1-breach", AlertKind.THRESHOLD_BREACHED, Severity.P1, "pagerduty", "slack"),
            rule("p2-breach", AlertKind.THRESHOLD_BREACHED, Severity.P2, "slack", "oncall-webhook"),
            rule("p3-breach", AlertKind.THRESHOLD_BREACHED, Severity.P3, "slack"),
            rule("rollback-requested", AlertKind.ROLLBACK_REQUESTED, null, "pagerduty", "slack"),
            rule("rollback-escalation", AlertKind.ROLLBACK_COMPLETED, Severity.P1, "pagerduty", "slack"),
            rule("rollback-completed", AlertKind.ROLLBACK_COMPLETED, null, "slack"),
            rule("deployment-started", AlertKind.DEPLOYMENT_STARTED, null, "slack"),
            rule("deployment-finished", AlertKind.DEPLOYMENT_FINISHED, null, "slack"));

    static RouteRule rule(String name, AlertKind kind, Severity severity, String... channels) {
        return new RouteRule(name, kind, severity, null, null, List.of(channels));
    }

    static AlertFacts breach(Severity severity) {
        return AlertFacts.of(TestEvents.breach(severity, "checkout", "production"));
    }

    @Test
    void p1BreachGoesToPagerDutyAndSlackWhenBothAreConfigured() {
        assertThat(RouteMatcher.plan(RUNBOOK, breach(Severity.P1), Set.of("pagerduty", "slack", "log")))
                .containsExactly(new PlannedDelivery("pagerduty", List.of("p1-breach"), List.of()),
                        new PlannedDelivery("slack", List.of("p1-breach"), List.of()));
    }

    @Test
    void unconfiguredChannelsFallBackToOneLogDeliveryThatSaysWhatItStandsFor() {
        assertThat(RouteMatcher.plan(RUNBOOK, breach(Severity.P1), Set.of("log")))
                .containsExactly(new PlannedDelivery("log", List.of("p1-breach"), List.of("pagerduty", "slack")));
    }

    @Test
    void p2GoesToSlackAndTheOnCallWebhook_fallingBackOnlyForTheMissingOne() {
        assertThat(RouteMatcher.plan(RUNBOOK, breach(Severity.P2), Set.of("slack")))
                .containsExactly(new PlannedDelivery("slack", List.of("p2-breach"), List.of()),
                        new PlannedDelivery("log", List.of("p2-breach"), List.of("oncall-webhook")));
    }

    @Test
    void p3GoesToSlackOnly() {
        assertThat(RouteMatcher.match(RUNBOOK, breach(Severity.P3))).containsOnlyKeys("slack");
    }

    @Test
    void aFailedRollbackIsAnEscalationPagedLikeAP1_aSuccessfulOneOnlyChats() {
        AlertFacts failed = AlertFacts.of(TestEvents.rollbackCompleted(RollbackOutcome.FAILED));
        AlertFacts succeeded = AlertFacts.of(TestEvents.rollbackCompleted(RollbackOutcome.SUCCEEDED));
        assertThat(RouteMatcher.match(RUNBOOK, failed)).containsOnlyKeys("pagerduty", "slack");
        assertThat(RouteMatcher.match(RUNBOOK, failed).get("slack"))
                .containsExactly("rollback-escalation", "rollback-completed");
        assertThat(RouteMatcher.match(RUNBOOK, succeeded)).containsOnlyKeys("slack");
    }

    @Test
    void deploymentStartedAndFinishedGoToSlack() {
        assertThat(RouteMatcher.match(RUNBOOK, AlertFacts.of(TestEvents.started()))).containsOnlyKeys("slack");
        assertThat(RouteMatcher.match(RUNBOOK, AlertFacts.of(TestEvents.finished(DeploymentOutcome.ROLLED_BACK))))
                .containsOnlyKeys("slack");
    }

    @Test
    void aRouteWithASeverityDoesNotMatchEventsThatHaveNone() {
        RouteRule p1Anything = new RouteRule("p1", null, Severity.P1, null, null, List.of("pager"));
        assertThat(p1Anything.matches(AlertFacts.of(TestEvents.started()))).isFalse();
        assertThat(p1Anything.matches(breach(Severity.P1))).isTrue();
    }

    @Test
    void serviceAndEnvironmentNarrowARoute() {
        RouteRule checkoutProd = new RouteRule("team", AlertKind.THRESHOLD_BREACHED, null, "checkout",
                "production", List.of("team-hook"));
        assertThat(checkoutProd.matches(breach(Severity.P2))).isTrue();
        assertThat(checkoutProd.matches(AlertFacts.of(TestEvents.breach(Severity.P2, "checkout", "staging"))))
                .isFalse();
        assertThat(checkoutProd.matches(AlertFacts.of(TestEvents.breach(Severity.P2, "search", "production"))))
                .isFalse();
    }

    @Test
    void channelsFromSeveralRoutesAreDeliveredOnceEach() {
        List<RouteRule> routes = List.of(rule("a", AlertKind.THRESHOLD_BREACHED, null, "slack", "team-hook"),
                rule("b", null, Severity.P1, "slack"));
        assertThat(RouteMatcher.plan(routes, breach(Severity.P1), Set.of("slack", "team-hook")))
                .containsExactly(new PlannedDelivery("slack", List.of("a", "b"), List.of()),
                        new PlannedDelivery("team-hook", List.of("a"), List.of()));
    }

    @Test
    void aRouteToTheLogChannelItselfIsNotAFallback() {
        List<RouteRule> routes = List.of(rule("audit-log", null, null, "log"));
        assertThat(RouteMatcher.plan(routes, breach(Severity.P3), Set.of()))
                .containsExactly(new PlannedDelivery("log", List.of("audit-log"), List.of()));
    }

    @Test
    void noMatchingRouteMeansNoDelivery() {
        assertThat(RouteMatcher.plan(List.of(rule("p1", AlertKind.THRESHOLD_BREACHED, Severity.P1, "x")),
                breach(Severity.P3), Set.of("x"))).isEmpty();
    }
}
