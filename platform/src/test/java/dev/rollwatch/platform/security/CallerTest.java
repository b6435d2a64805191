package dev.rollwatch.platform.security;

import dev.rollwatch.platform.rest.ProblemException;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.json.Json;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service scope fails closed (issue 17, item 5): no claim and no mapping means no service, except admin alone. */
class CallerTest {

    private static final Map<String, String> MAPPING = Map.of(
            "rollwatch.security.services.\"mapped\"", "checkout,cart",
            "rollwatch.security.services.\"mapped-all\"", "*");

    static Caller caller(String subject, Object servicesClaim, String... roles) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", subject);
        if (servicesClaim != null) {
            claims.put(Caller.SERVICES_CLAIM, servicesClaim);
        }
        JsonWebToken jwt = new JsonWebToken() {
            @Override
            public String getName() {
                return subject;
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @SuppressWarnings("unchecked")
            @Override
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
        Caller c = new Caller();
        c.identity = QuarkusSecurityIdentity.builder().setPrincipal(jwt).addRoles(Set.of(roles)).build();
        c.config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(MAPPING, "test", 100)).build();
        return c;
    }

    @Test
    void aTokenWithoutServicesClaimOrMappingActsOnNoServiceWhateverItsRoles() {
        for (String[] roles : new String[][] {{"deployer"}, {"operator"}, {"agent"}, {"auditor"},
                {"deployer", "operator"}, {"deployer", "agent"}, {"operator", "admin"}, {"deployer", "admin"}}) {
            Caller c = caller("someone", null, roles);
            assertThat(c.serviceScope()).as(String.join("+", roles)).isEmpty();
            assertThat(c.mayAccess("checkout")).as(String.join("+", roles)).isFalse();
        }
    }

    @Test
    void anAdminOnlyTokenWithoutClaimActsOnEveryService() {
        Caller admin = caller("adam", null, "admin");
        assertThat(admin.serviceScope()).isNull();
        assertThat(admin.mayAccess("checkout")).isTrue();
        // With a claim, the claim decides for an admin too.
        assertThat(caller("adam", Json.createArrayBuilder().add("cart").build(), "admin").mayAccess("checkout"))
                .isFalse();
    }

    @Test
    void anExplicitStarOrListDecides() {
        assertThat(caller("o", Json.createArrayBuilder().add("*").build(), "operator").serviceScope()).isNull();
        assertThat(caller("o", Json.createValue("checkout, cart"), "operator").serviceScope())
                .containsExactlyInAnyOrder("checkout", "cart");
        assertThat(caller("o", Json.createArrayBuilder().build(), "operator").serviceScope()).isEmpty();
    }

    @Test
    void theConfiguredMappingStillGivesTheListWithoutAClaim() {
        assertThat(caller("mapped", null, "operator").serviceScope()).containsExactlyInAnyOrder("checkout", "cart");
        assertThat(caller("mapped-all", null, "deployer", "operator").serviceScope()).isNull();
        // A claim wins over the mapping.
        assertThat(caller("mapped-all", Json.createValue("cart"), "operator").serviceScope()).containsExactly("cart");
    }

    @Test
    void anUnknownObjectIsDeniedToAScopedCallerExactlyLikeAnotherServicesObject() {
        Caller scoped = caller("o", Json.createValue("checkout"), "operator");
        scoped.requireServiceOf("deployment d1", "checkout");
        ProblemException unknown = catchProblem(() -> scoped.requireServiceOf("deployment d1", null));
        ProblemException other = catchProblem(() -> scoped.requireServiceOf("deployment d1", "cart"));
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.type()).isEqualTo(other.type()).isEqualTo("forbidden-service");
        assertThat(other.status()).isEqualTo(403);
        assertThat(unknown.getMessage()).isEqualTo(other.getMessage()).doesNotContain("cart");

        // A caller of every service passes for an unknown object (and answers its own 404); no claim: denied.
        caller("o", Json.createValue("*"), "operator").requireServiceOf("deployment d1", null);
        assertThatThrownBy(() -> caller("o", null, "operator").requireServiceOf("deployment d1", null))
                .isInstanceOf(ProblemException.class);
    }

    private static ProblemException catchProblem(Runnable r) {
        try {
            r.run();
        } catch (ProblemException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }
}
