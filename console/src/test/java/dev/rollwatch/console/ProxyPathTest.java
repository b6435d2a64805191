package dev.rollwatch.console;

import dev.rollwatch.console.proxy.ProxyPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyPathTest {

    @Test
    void splitsServiceAndRestAndMapsToApiV1() throws Exception {
        ProxyPath path = ProxyPath.parse("/api/deploy/deployments/3f2a/events");
        assertThat(path.service()).isEqualTo("deploy");
        assertThat(path.rest()).isEqualTo("deployments/3f2a/events");
        assertThat(path.upstreamPath()).isEqualTo("/api/v1/deployments/3f2a/events");
        assertThat(ProxyPath.parse("/api/rollback/policies/checkout%20eu").upstreamPath())
                .isEqualTo("/api/v1/policies/checkout%20eu");
        assertThat(ProxyPath.parse("/api/audit").service()).isEqualTo("audit");
        assertThat(ProxyPath.parse("/api/").service()).isEmpty();
    }

    @Test
    void onlyApiPathsAreProxied() {
        assertThat(ProxyPath.isApi("/api/deploy/x")).isTrue();
        assertThat(ProxyPath.isApi("/")).isFalse();
        assertThat(ProxyPath.isApi("/apis/deploy")).isFalse();
        assertThat(ProxyPath.isApi("/console/me")).isFalse();
    }

    @Test
    void refusesTraversalRawOrEncoded() {
        for (String p : new String[] {"/api/deploy/../x", "/api/deploy/./x", "/api/deploy/x/..",
                "/api/deploy/%2e%2e/x", "/api/deploy/%2E%2e/x", "/api/deploy/.%2E/x", "/api/deploy/%252e%252e/x",
                "/api/deploy/a%2fb", "/api/deploy/a%5cb", "/api/deploy/a\\..\\b", "/api/deploy/%25252e%25252e/x",
                "/api/deploy/%zz"}) {
            assertThatThrownBy(() -> ProxyPath.parse(p)).as(p).isInstanceOf(ProxyPath.Invalid.class);
        }
    }

    @Test
    void allowsDotsInsideNames() throws Exception {
        assertThat(ProxyPath.parse("/api/deploy/deployments?version=2.4.1").rest()).isEqualTo("deployments?version=2.4.1");
        assertThat(ProxyPath.parse("/api/deploy/services/checkout.v2/..hidden").rest())
                .isEqualTo("services/checkout.v2/..hidden");
    }
}
