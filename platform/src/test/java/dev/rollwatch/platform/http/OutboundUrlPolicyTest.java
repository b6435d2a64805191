package dev.rollwatch.platform.http;

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
            "intranet.example.com", "10.1.2.3",
            "hooks.internal", "10.9.9.9"); // an allow-listed name is resolved too: the call connects to its address

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
        OutboundUrlPolicy.Destination d = production.check("https://hooks.example.com/services/T/B/x");
        assertThat(d.uri().getHost()).isEqualTo("hooks.example.com");
        assertThat(d.address().getHostAddress()).isEqualTo("93.184.216.34");
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

    @ParameterizedTest
    @ValueSource(strings = {
            "https://198.18.0.1/", "https://198.19.255.254/",            // benchmarking 198.18.0.0/15
            "https://192.0.0.170/",                                      // IETF protocol assignments 192.0.0.0/24
            "https://100.127.255.1/",                                    // CGNAT 100.64.0.0/10
            "https://240.0.0.1/", "https://255.255.255.255/",            // reserved, broadcast
            "https://0.1.2.3/",                                          // 0.0.0.0/8
            "https://192.0.2.10/", "https://198.51.100.7/", "https://203.0.113.9/", // documentation
            "https://224.0.0.1/",                                        // multicast
            "https://[2001:db8::1]/", "https://[3fff::1]/",              // IPv6 documentation
            "https://[64:ff9b::a9fe:a9fe]/",                             // NAT64 of 169.254.169.254
            "https://[64:ff9b::7f00:1]/",                                // NAT64 of 127.0.0.1
            "https://[64:ff9b:1::1]/",                                   // local-use NAT64
            "https://[2002:a9fe:a9fe::1]/",                              // 6to4 of 169.254.169.254
            "https://[2002:0a00:0001::]/",                               // 6to4 of 10.0.0.1
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",           // Teredo
            "https://[2001:2::1]/",                                      // IPv6 benchmarking (2001::/23)
            "https://[::a9fe:a9fe]/",                                    // IPv4-compatible
            "https://[::ffff:a9fe:a9fe]/",                               // IPv4-mapped metadata
            "https://[100::1]/", "https://[fec0::1]/", "https://[ff02::1]/"})
    void productionRefusesTheOtherReservedRanges(String url) {
        assertThatThrownBy(() -> production.check(url)).isInstanceOf(OutboundUrlPolicy.RefusedDestination.class);
    }

    @Test
    void aNat64AddressIsJudgedByTheIpv4AddressItCarries() throws Exception {
        assertThatThrownBy(() -> production.check("https://[64:ff9b::7f00:1]/"))
                .hasMessage("host [64:ff9b::7f00:1] resolves to a loopback address 64:ff9b:0:0:0:0:7f00:1 "
                        + "(NAT64 of 127.0.0.1)");
        assertThat(production.check("https://[64:ff9b::5db8:d822]/").address())
                .isEqualTo(InetAddress.getByName("64:ff9b::5db8:d822")); // NAT64 of 93.184.216.34: public
        assertThat(production.check("https://[2002:5db8:d822::1]/")).isNotNull(); // 6to4 of a public address
    }

    @Test
    void aNameIsRefusedIfAnyOfItsAddressesIsInternal() {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(true, false, List.of(), host -> new InetAddress[] {
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")});
        assertThatThrownBy(() -> policy.check("https://two.example.com/"))
                .hasMessage("host two.example.com resolves to a private address 10.0.0.1");
    }

    @Test
    void anEnvironmentsAllowListOpensItsRangesForThatEnvironmentOnly() {
        OutboundUrlPolicy policy = new OutboundUrlPolicy(true, false, List.of(),
                Map.of("staging", List.of("10.1.0.0/16")), OutboundUrlPolicyTest::resolve);
        assertThat(policy.check("https://intranet.example.com/", "staging").address().getHostAddress())
                .isEqualTo("10.1.2.3");
        assertThatThrownBy(() -> policy.check("https://intranet.example.com/", "production"))
                .hasMessageContaining("private");
        assertThatThrownBy(() -> policy.check("https://intranet.example.com/")).hasMessageContaining("private");
    }

    @Test
    void anAllowListedNameStillAnswersTheAddressToConnectTo() {
        OutboundUrlPolicy allowing = new OutboundUrlPolicy(true, false, List.of("intranet.example.com"),
                OutboundUrlPolicyTest::resolve);
        assertThat(allowing.check("https://intranet.example.com/x").address().getHostAddress())
                .isEqualTo("10.1.2.3");
    }
}
