package dev.rollwatch.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.rollwatch.platform.security.ServiceScoped;
import dev.rollwatch.platform.security.Unscoped;
import dev.rollwatch.testsupport.ArchitectureRules;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rule that every resource method taking a path parameter declares its service scope
 * ({@code ArchitectureRules.objectEndpointsDeclareTheirScope}), on resources written to pass and to fail it. The
 * services' ArchitectureTests apply it to their real resources.
 */
class ScopeRuleTest {

    /** Declares its scope everywhere it must; a method without path parameters needs nothing. */
    static class Declared {
        @GET
        @ServiceScoped(kind = "thing", param = "id")
        public String get(@PathParam("id") String id) {
            return id;
        }

        @POST
        @Unscoped("checked under the thing's lock")
        public String act(@PathParam("id") String id) {
            return id;
        }

        @GET
        public String list(@QueryParam("service") String service) {
            return service;
        }
    }

    /** Forgets it, names a path parameter it does not have, and gives no reason. */
    static class Undeclared {
        @GET
        public String forgotten(@PathParam("id") String id) {
            return id;
        }

        @GET
        @ServiceScoped(kind = "thing", param = "thingId")
        public String misnamed(@PathParam("id") String id) {
            return id;
        }

        @POST
        @Unscoped("")
        public String noReason(@PathParam("id") String id) {
            return id;
        }
    }

    private static final String HERE = ScopeRuleTest.class.getPackageName();

    @Test
    void methodsThatDeclareTheirScopePass() {
        JavaClasses classes = new ClassFileImporter().importClasses(Declared.class);
        ArchitectureRules.objectEndpointsDeclareTheirScope(HERE).check(classes);
    }

    @Test
    void aForgottenScopeAMisnamedParameterAndAMissingReasonFail() {
        JavaClasses classes = new ClassFileImporter().importClasses(Undeclared.class);
        assertThatThrownBy(() -> ArchitectureRules.objectEndpointsDeclareTheirScope(HERE).check(classes))
                .isInstanceOf(AssertionError.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("forgotten(java.lang.String) takes path parameters [id] but is neither "
                                + "@ServiceScoped nor @Unscoped(\"why\")")
                        .contains("misnamed(java.lang.String) is @ServiceScoped by 'thingId', which is none of "
                                + "its path parameters [id]")
                        .contains("noReason(java.lang.String) is @Unscoped without a reason")
                        .contains("(3 times)"));
    }
}
