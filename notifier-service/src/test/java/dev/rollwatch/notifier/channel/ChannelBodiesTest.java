package dev.rollwatch.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.notifier.channel.slack.SlackChannelSender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelBodiesTest {

    static final OutgoingAlert ALERT = new OutgoingAlert("ev-1", "dev.rollwatch.threshold.breached.v1", "dep-1",
            "P1", "checkout", "production", "[P1] checkout production 2.4.0: check error-rate breached",
            "[P1] checkout production 2.4.0: check error-rate breached\nRule: error_rate > 0.01\n"
                    + "Measured: 0.0342 <high>\nDeployment: http://d/1\nAudit timeline: http://a/1",
            "http://d/1", "http://a/1", "{}", null, 1);

    @Test
    void slackGetsAHeaderTheDetailsAndLinksAsBlocks_andTheWholeTextAsFallback() throws Exception {
        JsonNode body = new ObjectMapper().readTree(SlackChannelSender.body(ALERT));
        assertThat(body.get("text").asText()).isEqualTo(ALERT.text());
        assertThat(body.at("/blocks/0/type").asText()).isEqualTo("header");
        assertThat(body.at("/blocks/0/text/text").asText()).isEqualTo(ALERT.title());
        assertThat(body.at("/blocks/1/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(body.at("/blocks/1/text/text").asText())
                .isEqualTo("Rule: error_rate &gt; 0.01\nMeasured: 0.0342 &lt;high&gt;");
        assertThat(body.at("/blocks/2/elements/0/text").asText())
                .isEqualTo("<http://d/1|Deployment> · <http://a/1|Audit timeline> · event ev-1");
    }
}
