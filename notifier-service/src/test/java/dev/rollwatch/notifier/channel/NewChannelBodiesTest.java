package dev.rollwatch.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.notifier.channel.email.EmailChannelSender;
import dev.rollwatch.notifier.channel.pagerduty.PagerDutyChannelSender;
import dev.rollwatch.notifier.channel.teams.TeamsChannelSender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PagerDuty, Teams and e-mail bodies, exactly as receivers get them. */
class NewChannelBodiesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
    static final OutgoingAlert ALERT = ChannelBodiesTest.ALERT;

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    static OutgoingAlert rollbackCompleted(RollbackOutcome outcome, String severity) {
        Envelope<RollbackCompleted> event = Envelope.of("/rollwatch/deploy-service", "dep-1",
                new RollbackCompleted("checkout", "production", outcome, "2.3.0", 900, 1100L, null));
        return new OutgoingAlert(event.id(), event.type().type(), "dep-1", severity, "checkout", "production",
                "Rollback " + outcome + ": checkout production -> 2.3.0", "Rollback " + outcome
                + ": checkout production -> 2.3.0\nRollback took 900 ms\nDeployment: http://d/1\nAudit timeline: "
                + "http://a/1", "http://d/1", "http://a/1",
                new String(EventCodec.encode(event), StandardCharsets.UTF_8), null, 1);
    }

    @Test
    void pagerDutyTriggersWithTheDeploymentsHealthDedupKeyTheMappedSeverityAndWhatAPersonNeeds() throws Exception {
        JsonNode body = JSON.readTree(PagerDutyChannelSender.body(KEY, ALERT));
        assertThat(body).isEqualTo(json("""
                {'routing_key': 'R0UT1NGKEY0123456789abcdefABCDEF', 'event_action': 'trigger',
                 'dedup_key': 'rollwatch/dep-1/health',
                 'payload': {'summary': '[P1] checkout production 2.4.0: check error-rate breached',
                             'source': 'checkout/production', 'severity': 'critical', 'component': 'checkout',
                             'group': 'production', 'class': 'health',
                             'custom_details': {'severity': 'P1',
                                                'details': 'Rule: error_rate > 0.01\\nMeasured: 0.0342 <high>',
                                                'deployment_id': 'dep-1', 'event_id': 'ev-1',
                                                'event_type': 'dev.rollwatch.threshold.breached.v1'}},
                 'client': 'Rollwatch', 'client_url': 'http://d/1',
                 'links': [{'href': 'http://d/1', 'text': 'Deployment'},
                           {'href': 'http://a/1', 'text': 'Audit timeline'}]}"""));
    }

    @Test
    void aRollbackThatSucceededResolvesTheSameAlert_aFailedOneTriggersItAgainAsCritical() throws Exception {
        JsonNode resolve = JSON.readTree(PagerDutyChannelSender.body(KEY, rollbackCompleted(RollbackOutcome.SUCCEEDED,
                null)));
        assertThat(resolve).isEqualTo(json("""
                {'routing_key': 'R0UT1NGKEY0123456789abcdefABCDEF', 'event_action': 'resolve',
                 'dedup_key': 'rollwatch/dep-1/health'}"""));
        JsonNode failed = JSON.readTree(PagerDutyChannelSender.body(KEY, rollbackCompleted(RollbackOutcome.FAILED,
                "P1")));
        assertThat(failed.get("event_action").asText()).isEqualTo("trigger");
        assertThat(failed.get("dedup_key").asText()).isEqualTo("rollwatch/dep-1/health");
        assertThat(failed.at("/payload/severity").asText()).isEqualTo("critical");
    }

    @Test
    void aPagerDutyRoutingKeyIs32LettersAndDigits() {
        PagerDutyChannelSender.checkRoutingKey(KEY);
        assertThatThrownBy(() -> PagerDutyChannelSender.checkRoutingKey("short"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PagerDutyChannelSender.checkRoutingKey(KEY.substring(1) + "!"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void teamsGetsAnAdaptiveCardWithTitleFactsDetailsAndLinkButtons() throws Exception {
        JsonNode body = JSON.readTree(TeamsChannelSender.body(ALERT));
        assertThat(body).isEqualTo(json("""
                {'type': 'message', 'attachments': [{
                  'contentType': 'application/vnd.microsoft.card.adaptive', 'contentUrl': null,
                  'content': {'$schema': 'http://adaptivecards.io/schemas/adaptive-card.json',
                    'type': 'AdaptiveCard', 'version': '1.4',
                    'body': [
                      {'type': 'TextBlock', 'text': '[P1] checkout production 2.4.0: check error-rate breached',
                       'size': 'Medium', 'weight': 'Bolder', 'color': 'Attention', 'wrap': true},
                      {'type': 'FactSet', 'facts': [{'title': 'Service', 'value': 'checkout'},
                        {'title': 'Environment', 'value': 'production'}, {'title': 'Severity', 'value': 'P1'},
                        {'title': 'Deployment', 'value': 'dep-1'}, {'title': 'Event', 'value': 'ev-1'}]},
                      {'type': 'TextBlock', 'text': 'Rule: error_rate > 0.01\\n\\nMeasured: 0.0342 <high>',
                       'wrap': true}],
                    'actions': [{'type': 'Action.OpenUrl', 'title': 'Deployment', 'url': 'http://d/1'},
                      {'type': 'Action.OpenUrl', 'title': 'Audit timeline', 'url': 'http://a/1'}]}}]}"""));
    }

    @Test
    void anEmailChannelsDestinationIsAMailtoListOfAddresses() {
        assertThat(EmailChannelSender.recipients("mailto:oncall@example.com, sre@example.com"))
                .containsExactly("oncall@example.com", "sre@example.com");
        assertThat(EmailChannelSender.recipients("MAILTO:a@b")).containsExactly("a@b");
        assertThatThrownBy(() -> EmailChannelSender.recipients("https://example.com"))
                .hasMessageContaining("mailto:");
        assertThatThrownBy(() -> EmailChannelSender.recipients("mailto:")).hasMessageContaining("1 to 20");
        assertThatThrownBy(() -> EmailChannelSender.recipients("mailto:not-an-address"))
                .hasMessageContaining("not an e-mail address");
        assertThatThrownBy(() -> EmailChannelSender.recipients("mailto:a@b?cc=c@d"))
                .hasMessageContaining("not supported");
    }

    @Test
    void slackGetsExactlyTheTextFallbackAndThreeBlocks() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode expected = JSON.createObjectNode().put("text", ALERT.text());
        com.fasterxml.jackson.databind.node.ArrayNode blocks = expected.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", ALERT.title());
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", "Rule: error_rate &gt; 0.01\nMeasured: 0.0342 &lt;high&gt;");
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "<http://d/1|Deployment> · <http://a/1|Audit timeline> · event ev-1");
        assertThat(JSON.readTree(dev.rollwatch.notifier.channel.slack.SlackChannelSender.body(ALERT)))
                .isEqualTo(expected);
    }

    @Test
    void detailsAreTheTextWithoutTitleAndLinks() {
        assertThat(ALERT.details()).isEqualTo("Rule: error_rate > 0.01\nMeasured: 0.0342 <high>");
    }
}
