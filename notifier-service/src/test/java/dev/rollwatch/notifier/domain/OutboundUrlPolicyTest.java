package dev.rollwatch.notifier.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundUrlPolicyTest {

    /** A fixed DNS: names an attacker controls can point anywhere. */
    static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "rebind.attacker.example", "127.0.0.1",
            "metadata.attacker.example", "169.254.169.254",
            "intranet.example.com", "10.1.2.3");

    static InetAddress[] resolve(String host) throws UnknownHostException {
        String ip = DNS.get(host);
        if (ip == null && !Character.isDigit(host.charAt(0)) && !host.contains(":")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(ip != null ? ip : host)};
    }

    final OutboundUrlPolicy production = new OutboundUrlPolicy(true, false, List.of(),
            OutboundUrlPolicyTest::resolve);
    final OutboundUrlPolicy local = new OutboundUrlPolicy(false, true, List.of(), OutboundUrlPolicyTest::resolve);

    @Test
    void aPublicHttpsDestinationIsFineInProduction() {
        assertThat(production.check("https://hooks.example.com/services/T/B/x").getHost())
                .isEqualTo("hooks.example.com");
    }

    @Test
    void productionRefusesPlainHttp() {
        assertThatThrownBy(() -> production.check("http://hooks.example.com/x"))
                .hasMessageContaining("only https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/x", "https://rebind.attacker.example/x", "https://[::1]/x",
            "https://169.254.169.254/latest/meta-data/", "https://metadata.attacker.example/",
            "https://metadata.google.internal/computeMetadata/v1/", "https://10.0.0.5/hook",
            "https://intranet.example.com/", "https://192.168.1.1/", "https://172.16.5.4/", "https://100.64.0.1/",
            "https://0.0.0.0/", "https://[fd00:ec2::254]/", "https://[fe80::1]/"})
    void productionRefusesEveryInternalDestination(String url) {
        assertThatThrownBy(() -> production.check(url)).isInstanceOf(OutboundUrlPolicy.RefusedDestination.class);
    }

    @Test
    void theRefusalSaysWhatTheNameResolvedTo() {
        assertThatThrownBy(() -> production.check("https://rebind.attacker.example/x"))
                .hasMessage("host rebind.attacker.example resolves to a loopback address 127.0.0.1");
    }

    @Test
    void theLocalProfileAllowsLoopbackForTheDemoButStillNotMetadataOrPrivateNetworks() {
        assertThat(local.check("http://127.0.0.1:9999/hook")).isNotNull();
        assertThatThrownBy(() -> local.check("http://169.254.169.254/latest/meta-data/"))
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> local.check("http://10.0.0.5/hook")).hasMessageContaining("private");
    }

    @Test
    void anAllowListOpensExactlyWhatItNames() {
        OutboundUrlPolicy allowing = new OutboundUrlPolicy(true, false, List.of("10.1.0.0/16", "hooks.internal"),
                OutboundUrlPolicyTest::resolve);
        assertThat(allowing.check("https://intranet.example.com/")).isNotNull();
        assertThat(allowing.check("https://hooks.internal/x")).isNotNull();
        assertThatThrownBy(() -> allowing.check("https://10.2.0.1/")).hasMessageContaining("private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example.com/", "file:///etc/passwd", "https://user:pw@hooks.example.com/",
            "not a url", "https:///nohost", "https://unknown.example.org/"})
    void malformedOrUnusableUrlsAreRefused(String url) {
        assertThatThrownBy(() -> local.check(url)).isInstanceOf(OutboundUrlPolicy.RefusedDestination.class);
    }
}
