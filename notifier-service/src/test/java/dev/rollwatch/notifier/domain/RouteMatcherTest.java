package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepKind;
import dev.rollwatch.events.StepOutcome;
import dev.rollwatch.events.ThresholdBreached;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

public class RouteMatcherTest {

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

    /**
     * Every default route as the migrations leave it (V1, V2's resolve on rollback-completed, V3's escalation and
     * decision routes, V4's runbook moments), in the order the repository lists them (by name).
     * {@code RunbookMomentsIT} checks that the database holds exactly these.
     */
    public static final List<RouteRule> DEFAULTS = List.of(
            rule("approval-waiting", AlertKind.APPROVAL_REQUESTED, null, "slack"),
            rule("bake-checkpoint", AlertKind.BAKE_CHECKPOINT, null, "slack"),
            rule("decision-alert", AlertKind.ROLLBACK_DECIDED, Severity.P2, "slack"),
            rule("decision-notify", AlertKind.ROLLBACK_DECIDED, Severity.P3, "slack"),
            rule("decision-page", AlertKind.ROLLBACK_DECIDED, Severity.P1, "pagerduty", "slack"),
            rule("decision-page-p0", AlertKind.ROLLBACK_DECIDED, Severity.P0, "pagerduty", "slack"),
            rule("deployment-finished", AlertKind.DEPLOYMENT_FINISHED, null, "slack"),
            rule("deployment-started", AlertKind.DEPLOYMENT_STARTED, null, "slack"),
            rule("p0-breach", AlertKind.THRESHOLD_BREACHED, Severity.P0, "pagerduty", "slack"),
            rule("p1-breach", AlertKind.THRESHOLD_BREACHED, Severity.P1, "pagerduty", "slack"),
            rule("p2-breach", AlertKind.THRESHOLD_BREACHED, Severity.P2, "slack", "oncall-webhook"),
            rule("p3-breach", AlertKind.THRESHOLD_BREACHED, Severity.P3, "slack"),
            rule("phase-reached", AlertKind.STEP_COMPLETED, null, "slack"),
            rule("rollback-completed", AlertKind.ROLLBACK_COMPLETED, null, "slack", "pagerduty"),
            rule("rollback-escalated", AlertKind.ROLLBACK_ESCALATED, null, "pagerduty", "slack"),
            rule("rollback-escalation", AlertKind.ROLLBACK_COMPLETED, Severity.P1, "pagerduty", "slack"),
            rule("rollback-requested", AlertKind.ROLLBACK_REQUESTED, null, "pagerduty", "slack"),
            rule("rollback-unverified", AlertKind.ROLLBACK_COMPLETED, Severity.P0, "pagerduty", "slack"),
            rule("verification-failed", AlertKind.ROLLBACK_VERIFIED, Severity.P0, "pagerduty", "slack"),
            rule("verification-passed", AlertKind.ROLLBACK_VERIFIED, Severity.P3, "slack"));

    static final Set<String> ALL = Set.of("pagerduty", "slack", "oncall-webhook", "log");

    static Arguments row(String name, AlertFacts facts, Map<String, List<String>> channelsToRoutes) {
        return Arguments.of(Named.of(name, facts), channelsToRoutes);
    }

    static AlertFacts facts(dev.rollwatch.events.Envelope<? extends dev.rollwatch.events.EventData> event) {
        return AlertFacts.of(event, TestEvents.CONTEXT);
    }

    /** Each moment the runbooks name, with the default routes: which channels, chosen by which routes. */
    static Stream<Arguments> runbookMoments() {
        List<String> page = List.of("pagerduty", "slack");
        return Stream.of(
                row("002 P0: the target is down (breach kind unavailable) pages PagerDuty and Slack",
                        facts(TestEvents.unavailable(null)),
                        Map.of("pagerduty", List.of("p0-breach"), "slack", List.of("p0-breach"))),
                row("002 P0 in the bake window pages the same way",
                        facts(TestEvents.unavailable(ThresholdBreached.PHASE_BAKE)),
                        Map.of("pagerduty", List.of("p0-breach"), "slack", List.of("p0-breach"))),
                row("000 P1 page immediately (unchanged)", facts(TestEvents.breach(Severity.P1, "checkout",
                        "production")), Map.of("pagerduty", List.of("p1-breach"), "slack", List.of("p1-breach"))),
                row("000 P2 alert on-call (unchanged)", facts(TestEvents.breach(Severity.P2, "checkout",
                        "production")), Map.of("slack", List.of("p2-breach"), "oncall-webhook",
                        List.of("p2-breach"))),
                row("000 P3 Slack notification (unchanged)", facts(TestEvents.breach(Severity.P3, "checkout",
                        "production")), Map.of("slack", List.of("p3-breach"))),
                row("002 P1 conditional: the deciders are paged", facts(TestEvents.conditional(Severity.P1)),
                        Map.of("pagerduty", List.of("decision-page"), "slack", List.of("decision-page"))),
                row("a conditional decision about a P2 still pages (a person must decide by decideBy)",
                        facts(TestEvents.conditional(Severity.P2)),
                        Map.of("pagerduty", List.of("decision-page"), "slack", List.of("decision-page"))),
                row("002 P0: a decision about a P0 that waits for a person pages at P0",
                        facts(TestEvents.decision(RollbackDecided.APPROVAL_REQUIRED, Severity.P0)),
                        Map.of("pagerduty", List.of("decision-page-p0"), "slack", List.of("decision-page-p0"))),
                row("002 P0 rollback request pages", facts(TestEvents.requested(Severity.P0)),
                        Map.of("pagerduty", List.of("rollback-requested"), "slack", List.of("rollback-requested"))),
                row("000/002 post-rollback health probe failed (UNVERIFIED) pages at P0",
                        facts(TestEvents.rollbackCompleted(RollbackOutcome.UNVERIFIED, null, "503")),
                        Map.of("slack", List.of("rollback-completed", "rollback-unverified"), "pagerduty",
                                List.of("rollback-completed", "rollback-unverified"))),
                row("004 step back to 5 %: chat, and the PagerDuty incident hears of it",
                        facts(TestEvents.rollbackCompleted(RollbackOutcome.STEPPED_BACK, 5, null)),
                        Map.of("slack", List.of("rollback-completed"), "pagerduty", List.of("rollback-completed"))),
                row("000 30-min verification window: UNVERIFIED pages at P0",
                        facts(TestEvents.verified(RollbackVerified.UNVERIFIED)),
                        Map.of("pagerduty", List.of("verification-failed"), "slack",
                                List.of("verification-failed"))),
                row("004 verify the error rate drops: VERIFIED is told on Slack",
                        facts(TestEvents.verified(RollbackVerified.VERIFIED)),
                        Map.of("slack", List.of("verification-passed"))),
                row("escalation rollback-unverified (P0) pages",
                        facts(TestEvents.escalated(RollbackEscalated.RULE_UNVERIFIED, Severity.P0)),
                        Map.of("pagerduty", List.of("rollback-escalated"), "slack", List.of("rollback-escalated"))),
                row("002/004 response times: an unanswered P1 decision pages",
                        facts(TestEvents.escalated(RollbackEscalated.RULE_UNANSWERED, Severity.P1)),
                        Map.of("pagerduty", List.of("rollback-escalated"), "slack", List.of("rollback-escalated"))),
                row("004 status updates every phase: 25 % reached goes to Slack",
                        facts(TestEvents.step(StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 25)),
                        Map.of("slack", List.of("phase-reached"))),
                row("001/002 checks at 15/30/60 min: a bake checkpoint goes to Slack",
                        facts(TestEvents.checkpoint(1, false)), Map.of("slack", List.of("bake-checkpoint"))),
                row("001/004 go/no-go: a gate waiting tells the approvers on Slack",
                        facts(TestEvents.approval()), Map.of("slack", List.of("approval-waiting"))),
                row("000/004 T+0 deployment complete: the summary goes to Slack",
                        facts(TestEvents.finished(DeploymentOutcome.SUCCEEDED)),
                        Map.of("slack", List.of("deployment-finished"))),
                row("ATTACHED tells nobody", facts(TestEvents.decision(RollbackDecided.ATTACHED, Severity.P1)),
                        Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runbookMoments")
    void eachRunbookMomentReachesItsChannels(AlertFacts facts, Map<String, List<String>> channelsToRoutes) {
        assertThat(RouteMatcher.match(DEFAULTS, facts)).isEqualTo(channelsToRoutes);
        assertThat(RouteMatcher.plan(DEFAULTS, facts, ALL)).hasSize(channelsToRoutes.size())
                .allSatisfy(p -> assertThat(p.fallbackFor()).isEmpty());
    }

    @Test
    void aPhaseReachedOfAnUnknownDeploymentStillReachesTheRoutesThatDoNotNarrowByService() {
        AlertFacts unknown = AlertFacts.of(TestEvents.step(StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 25), null);
        assertThat(RouteMatcher.match(DEFAULTS, unknown)).containsOnlyKeys("slack");
        RouteRule checkoutOnly = new RouteRule("team", AlertKind.STEP_COMPLETED, null, "checkout", null,
                List.of("team-hook"));
        assertThat(checkoutOnly.matches(unknown)).isFalse();
        assertThat(checkoutOnly.matches(facts(TestEvents.step(StepKind.SET_WEIGHT, StepOutcome.SUCCEEDED, 25))))
                .isTrue();
    }

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
