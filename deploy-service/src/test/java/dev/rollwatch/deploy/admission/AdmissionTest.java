package dev.rollwatch.deploy.admission;

import dev.rollwatch.platform.rest.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Admission as a pure function of the policy, the version's successes and now: one named row per rule. The policy
 * is the runbooks' (documented in docs/runbook-policy.md): production requires staging SUCCEEDED 24 h before, no
 * deployment Friday after 15:00 or at the weekend (Europe/Berlin), and a year-end freeze. 2026-12-04 is a Friday;
 * Berlin is UTC+1 in December.
 */
class AdmissionTest {

    static final PolicyRules RUNBOOK = PolicyRules.parse(new PolicyDocument(
            List.of(new PolicyDocument.Requirement("staging", "24h")),
            List.of(new PolicyDocument.Window("mon-thu", List.of("MON", "TUE", "WED", "THU"), "00:00", "24:00",
                            "Europe/Berlin"),
                    new PolicyDocument.Window("friday-until-15", List.of("FRIDAY"), "00:00", "15:00",
                            "Europe/Berlin")),
            List.of(new PolicyDocument.Freeze("2026-12-23T00:00:00Z", "2027-01-04T00:00:00Z",
                    "year-end code freeze"))), "production");
    static final PolicyRules WINDOWS_ONLY = new PolicyRules(List.of(), RUNBOOK.windows(), RUNBOOK.freezes());

    static Stream<Arguments> windowsAndFreezes() {
        return Stream.of(
                arguments("Thursday 23:00 Berlin is inside mon-thu", "2026-12-03T22:00:00Z", null),
                arguments("Friday 14:59 Berlin is inside friday-until-15", "2026-12-04T13:59:00Z", null),
                arguments("Friday 15:00 Berlin is outside: next opening Monday 00:00 Berlin", "2026-12-04T14:00:00Z",
                        "2026-12-06T23:00:00Z"),
                arguments("Saturday is outside every window", "2026-12-05T10:00:00Z", "2026-12-06T23:00:00Z"),
                arguments("Sunday 23:59 Berlin opens a minute later", "2026-12-06T22:59:00Z",
                        "2026-12-06T23:00:00Z"),
                arguments("Monday 00:00 Berlin is open (from inclusive)", "2026-12-06T23:00:00Z", null),
                arguments("a Tuesday in the freeze is closed until the freeze ends (a Monday, in a window)",
                        "2026-12-29T10:00:00Z", "2027-01-04T00:00:00Z"),
                arguments("the freeze's first instant is closed", "2026-12-23T00:00:00Z", "2027-01-04T00:00:00Z"),
                arguments("the freeze's end is open (to exclusive)", "2027-01-04T00:00:00Z", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windowsAndFreezes")
    void windowsAndFreezesDecideWhenADeploymentMayStart(String name, String now, String nextOpening) {
        List<Admission.Violation> v = Admission.evaluate(WINDOWS_ONLY, "production", "2.4.0", List.of(),
                Instant.parse(now));
        if (nextOpening == null) {
            assertThat(v).isEmpty();
            assertThat(Admission.isOpen(WINDOWS_ONLY, Instant.parse(now))).isTrue();
        } else {
            assertThat(v).hasSize(1);
            assertThat(v.get(0).type()).isEqualTo(Admission.OUTSIDE_WINDOW);
            assertThat(v.get(0).facts().get("nextOpening")).isEqualTo(nextOpening);
            assertThat(v.get(0).detail()).contains("next opening " + nextOpening);
        }
    }

    @Test
    void aRefusalInAFreezeNamesTheFreezeAndItsReason() {
        Admission.Violation v = Admission.evaluate(WINDOWS_ONLY, "production", "2.4.0", List.of(),
                Instant.parse("2026-12-29T10:00:00Z")).get(0);
        assertThat(v.detail()).contains("frozen").contains("year-end code freeze");
        assertThat(v.facts().get("freeze")).isEqualTo(java.util.Map.of("from", "2026-12-23T00:00:00Z",
                "to", "2027-01-04T00:00:00Z", "reason", "year-end code freeze"));
        assertThat(v.facts()).doesNotContainKey("windows"); // a Tuesday is inside mon-thu
    }

    @Test
    void aRefusalOutsideTheWindowsNamesThem() {
        Admission.Violation v = Admission.evaluate(WINDOWS_ONLY, "production", "2.4.0", List.of(),
                Instant.parse("2026-12-04T16:00:00Z")).get(0);
        assertThat(v.facts().get("windows")).isEqualTo(List.of("'mon-thu' Mon,Tue,Wed,Thu 00:00-24:00 Europe/Berlin",
                "'friday-until-15' Fri 00:00-15:00 Europe/Berlin"));
        assertThat(v.facts()).doesNotContainKey("freeze");
    }

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z"); // a Wednesday, open

    static Stream<Arguments> environmentOrder() {
        return Stream.of(
                arguments("never succeeded in staging: refused, no date it would be allowed", List.of(), true, null),
                arguments("succeeded in staging 23 h ago: refused until 24 h after",
                        List.of(new Admission.Success("staging", "2.4.0", NOW.minusSeconds(23 * 3600))), true,
                        "2026-12-02T13:00:00Z"),
                arguments("succeeded in staging exactly 24 h ago: admitted",
                        List.of(new Admission.Success("staging", "2.4.0", NOW.minusSeconds(24 * 3600))), false,
                        null),
                arguments("another version succeeded in staging: refused",
                        List.of(new Admission.Success("staging", "2.3.0", NOW.minusSeconds(72 * 3600))), true, null),
                arguments("the same version succeeded in another environment: refused",
                        List.of(new Admission.Success("qa", "2.4.0", NOW.minusSeconds(72 * 3600))), true, null),
                arguments("succeeded twice in staging: the first success counts",
                        List.of(new Admission.Success("staging", "2.4.0", NOW.minusSeconds(3600)),
                                new Admission.Success("staging", "2.4.0", NOW.minusSeconds(30 * 3600))), false,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentOrder")
    void productionRequiresTheVersionInStagingFor24Hours(String name, List<Admission.Success> successes,
            boolean refused, String allowedFrom) {
        PolicyRules orderOnly = new PolicyRules(RUNBOOK.requires(), List.of(), List.of());
        List<Admission.Violation> v = Admission.evaluate(orderOnly, "production", "2.4.0", successes, NOW);
        if (!refused) {
            assertThat(v).isEmpty();
            return;
        }
        assertThat(v).hasSize(1);
        assertThat(v.get(0).type()).isEqualTo(Admission.ENVIRONMENT_ORDER);
        assertThat(v.get(0).facts()).containsEntry("requiredEnvironment", "staging").containsEntry("version", "2.4.0")
                .containsEntry("minAge", "PT24H").containsEntry("allowedFrom", allowedFrom);
        assertThat(v.get(0).detail()).startsWith("production requires version 2.4.0 to have SUCCEEDED in staging "
                + "at least 24h before");
    }

    @Test
    void bothRulesBrokenGiveBothViolationsOrderFirst() {
        List<Admission.Violation> v = Admission.evaluate(RUNBOOK, "production", "2.4.0", List.of(),
                Instant.parse("2026-12-05T10:00:00Z"));
        assertThat(v).extracting(Admission.Violation::type).containsExactly(Admission.ENVIRONMENT_ORDER,
                Admission.OUTSIDE_WINDOW);
    }

    @Test
    void theDefaultPolicyRequiresNothingAndIsAlwaysOpen() {
        assertThat(Admission.evaluate(PolicyRules.OPEN, "production", "2.4.0", List.of(),
                Instant.parse("2026-12-05T10:00:00Z"))).isEmpty();
        assertThat(Admission.nextOpening(PolicyRules.OPEN, NOW)).contains(NOW);
    }

    @Test
    void aPermanentlyClosedPolicyHasNoNextOpening() {
        PolicyRules never = PolicyRules.parse(new PolicyDocument(null, null, List.of(new PolicyDocument.Freeze(
                "2026-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "decommissioned"))), "production");
        List<Admission.Violation> v = Admission.evaluate(never, "production", "2.4.0", List.of(), NOW);
        assertThat(v.get(0).facts().get("nextOpening")).isNull();
        assertThat(v.get(0).detail()).contains("no opening within a year");
    }

    static Stream<Arguments> invalidPolicies() {
        PolicyDocument.Window ok = new PolicyDocument.Window(null, null, "09:00", "17:00", "UTC");
        return Stream.of(
                arguments("an environment requiring itself", new PolicyDocument(
                        List.of(new PolicyDocument.Requirement("production", "24h")), null, null),
                        "requires[0].environment"),
                arguments("a minAge that is no duration", new PolicyDocument(
                        List.of(new PolicyDocument.Requirement("staging", "a day")), null, null),
                        "requires[0].minAge"),
                arguments("from after to", new PolicyDocument(null, List.of(new PolicyDocument.Window(null, null,
                        "22:00", "06:00", "UTC")), null), "windows[0]"),
                arguments("25:00", new PolicyDocument(null, List.of(new PolicyDocument.Window(null, null, "09:00",
                        "25:00", "UTC")), null), "windows[0].to"),
                arguments("an unknown zone", new PolicyDocument(null, List.of(new PolicyDocument.Window(null, null,
                        "09:00", "17:00", "Mars/Olympus")), null), "windows[0].zone"),
                arguments("an unknown day", new PolicyDocument(null, List.of(ok, new PolicyDocument.Window(null,
                        List.of("FRY"), "09:00", "17:00", null)), null), "windows[1].days"),
                arguments("a freeze ending before it starts", new PolicyDocument(null, null, List.of(
                        new PolicyDocument.Freeze("2026-12-24T00:00:00Z", "2026-12-23T00:00:00Z", "x"))),
                        "freezes[0]"),
                arguments("a freeze with no instant", new PolicyDocument(null, null, List.of(
                        new PolicyDocument.Freeze("Christmas", "2026-12-23T00:00:00Z", "x"))), "freezes[0].from"));
    }

    @ParameterizedTest(name = "{0} is refused, naming the field")
    @MethodSource("invalidPolicies")
    void invalidPoliciesAreRefusedNamingTheField(String name, PolicyDocument doc, String field) {
        assertThatThrownBy(() -> PolicyRules.parse(doc, "production")).isInstanceOfSatisfying(ProblemException.class,
                p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.type()).isEqualTo("invalid-deployment-policy");
                    assertThat(p.properties()).containsEntry("field", field);
                });
    }
}
