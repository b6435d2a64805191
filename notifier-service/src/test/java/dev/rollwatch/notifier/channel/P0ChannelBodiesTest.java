package dev.rollwatch.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.notifier.channel.pagerduty.PagerDutyChannelSender;
import dev.rollwatch.notifier.channel.teams.TeamsChannelSender;
import dev.rollwatch.notifier.service.ChannelRateLimiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** P0 on the channels: PagerDuty critical, Teams attention, never held by the rate limit; P1–P3 as before. */
class P0ChannelBodiesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = NewChannelBodiesTest.KEY;

    static OutgoingAlert alert(Envelope<? extends EventData> event, String severity, String title) {
        return new OutgoingAlert(event.id(), event.type().type(), "dep-1", severity, "checkout", "production", title,
                title + "\nDetail\nDeployment: http://d/1\nAudit timeline: http://a/1", "http://d/1", "http://a/1",
                new String(EventCodec.encode(event), StandardCharsets.UTF_8), null, 1);
    }

    static OutgoingAlert withSeverity(String severity) {
        OutgoingAlert a = ChannelBodiesTest.ALERT;
        return new OutgoingAlert(a.eventId(), a.eventType(), a.deploymentId(), severity, a.service(),
                a.environment(), a.title(), a.text(), a.deploymentUrl(), a.timelineUrl(), a.eventPayload(),
                a.fallbackFor(), a.attempt());
    }

    @ParameterizedTest(name = "{0} -> PagerDuty {1}, Teams {2}")
    @CsvSource({"P0, critical, Attention", "P1, critical, Attention", "P2, error, Warning", "P3, warning, Default"})
    void eachSeverityMapsToPagerDutyAndTeams(String severity, String pagerDuty, String teams) throws Exception {
        JsonNode pd = JSON.readTree(PagerDutyChannelSender.body(KEY, withSeverity(severity)));
        assertThat(pd.at("/payload/severity").asText()).isEqualTo(pagerDuty);
        assertThat(pd.get("event_action").asText()).isEqualTo("trigger");
        JsonNode card = JSON.readTree(TeamsChannelSender.body(withSeverity(severity)));
        assertThat(card.at("/attachments/0/content/body/0/color").asText()).isEqualTo(teams);
    }

    @Test
    void anUnverifiedRollbackTriggersTheHealthIncidentAgainAsCritical_aVerifiedOneResolvesIt() throws Exception {
        Envelope<RollbackCompleted> unverified = Envelope.of("/rollwatch/deploy-service", "dep-1",
                new RollbackCompleted("checkout", "production", RollbackOutcome.UNVERIFIED, "2.3.0", 900, 1100L, null,
                        null, "503 Service Unavailable"));
        JsonNode page = JSON.readTree(PagerDutyChannelSender.body(KEY, alert(unverified, "P0",
                "[P0] Rollback UNVERIFIED: checkout production -> 2.3.0 is not healthy")));
        assertThat(page.get("event_action").asText()).isEqualTo("trigger");
        assertThat(page.get("dedup_key").asText()).isEqualTo("rollwatch/dep-1/health");
        assertThat(page.at("/payload/severity").asText()).isEqualTo("critical");

        Envelope<RollbackVerified> failed = Envelope.of("/rollwatch/monitor-service", "dep-1", new RollbackVerified(
                "checkout", "production", "2.3.0", RollbackVerified.UNVERIFIED, Duration.ofMinutes(30), null,
                Instant.parse("2026-03-02T14:12:00Z"), "error-rate", "4.2%", List.of()));
        JsonNode again = JSON.readTree(PagerDutyChannelSender.body(KEY, alert(failed, "P0", "[P0] Rollback UNVERIFIED")));
        assertThat(again.get("event_action").asText()).isEqualTo("trigger");
        assertThat(again.get("dedup_key").asText()).isEqualTo("rollwatch/dep-1/health");

        Envelope<RollbackVerified> verified = Envelope.of("/rollwatch/monitor-service", "dep-1", new RollbackVerified(
                "checkout", "production", "2.3.0", RollbackVerified.VERIFIED, Duration.ofMinutes(30), null,
                Instant.parse("2026-03-02T14:37:00Z"), null, null, List.of()));
        assertThat(JSON.readTree(PagerDutyChannelSender.body(KEY, alert(verified, "P3", "Rollback verified"))))
                .isEqualTo(NewChannelBodiesTest.json("""
                        {'routing_key': 'R0UT1NGKEY0123456789abcdefABCDEF', 'event_action': 'resolve',
                         'dedup_key': 'rollwatch/dep-1/health'}"""));
    }

    @Test
    void onlyAP0IsExemptFromTheChannelRateLimit() {
        assertThat(ChannelRateLimiter.exempt("P0")).isTrue();
        assertThat(ChannelRateLimiter.exempt("P1")).isFalse();
        assertThat(ChannelRateLimiter.exempt("P3")).isFalse();
        assertThat(ChannelRateLimiter.exempt(null)).isFalse();
    }
}
