package dev.rollwatch.testsupport;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import java.util.List;
import java.util.Optional;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The dependency rules of Rollwatch's code, written once and applied by each module's {@code ArchitectureTest}
 * (a plain unit test, so {@code ./rollwatch test} runs it). docs/architecture.md ("Layers") describes them.
 *
 * <p>A service ({@code dev.rollwatch.<service>}) is layered: {@code rest} → {@code service} → {@code repository} →
 * {@code domain}, with {@code messaging} (consumers and producers) beside {@code rest}. Other packages of a service
 * ({@code config}, {@code driver}, {@code provider}, {@code channel}, …) are helpers outside the layers; only the
 * rule that nothing but {@code rest} uses {@code rest} applies to them. A service depends on no other service and
 * no Rollwatch code but {@code platform} and {@code events}; platform depends on no service; events on nothing of
 * Rollwatch.
 *
 * <p>Every rule fails when the classes it speaks about are missing (ArchUnit's default
 * {@code archRule.failOnEmptyShould}), so a wrong package name cannot make a rule pass vacuously.
 */
public final class ArchitectureRules {

    public static final String ROLLWATCH = "dev.rollwatch";
    public static final String PLATFORM = ROLLWATCH + ".platform";
    public static final String EVENTS = ROLLWATCH + ".events";

    // By name: test-support does not depend on platform (platform's own tests use test-support).
    static final String SERVICE_SCOPED = PLATFORM + ".security.ServiceScoped";
    static final String UNSCOPED = PLATFORM + ".security.Unscoped";
    static final String PATH_PARAM = "jakarta.ws.rs.PathParam";
    static final String HTTP_METHOD = "jakarta.ws.rs.HttpMethod";

    private ArchitectureRules() {
    }

    /** The production classes of {@code basePackage} and its sub-packages (test classes left out). */
    public static JavaClasses mainClasses(String basePackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }

    /**
     * rest → service → repository → domain, messaging beside rest. REST resources are used by no other layer;
     * the service layer only by rest and messaging; messaging (its producers) only by the service layer;
     * repositories only by the service layer; the domain by everyone and depending on none of them. A module
     * states a justified exception with {@link LayeredArchitecture#ignoreDependency(DescribedPredicate,
     * DescribedPredicate)} and a comment, e.g. {@code .ignoreDependency(classes(SomeResource.class),
     * repositoryOf(base))}.
     */
    public static LayeredArchitecture layers(String servicePackage) {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("REST").definedBy(servicePackage + ".rest..")
                .layer("Messaging").definedBy(servicePackage + ".messaging..")
                .layer("Service").definedBy(servicePackage + ".service..")
                .layer("Repository").definedBy(servicePackage + ".repository..")
                .layer("Domain").definedBy(servicePackage + ".domain..")
                .whereLayer("REST").mayNotBeAccessedByAnyLayer()
                .whereLayer("Messaging").mayOnlyBeAccessedByLayers("Service")
                .whereLayer("Service").mayOnlyBeAccessedByLayers("REST", "Messaging")
                .whereLayer("Repository").mayOnlyBeAccessedByLayers("Service")
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("REST", "Messaging", "Service", "Repository");
    }

    /**
     * Nothing outside a service's {@code rest} package depends on it: request bodies and views the service layer
     * takes or returns live in the service layer, and the resources hand them over. Covers the helper packages
     * outside the layers too (a registry or an admission check importing a request type).
     */
    public static ArchRule onlyRestUsesRest(String servicePackage) {
        return noClasses()
                .that().resideOutsideOfPackage(servicePackage + ".rest..")
                .should().dependOnClassesThat().resideInAPackage(servicePackage + ".rest..")
                .because("the service layer owns its commands and views; REST resources map onto them");
    }

    /**
     * A service uses no Rollwatch code but its own, {@code platform} and {@code events}: services talk through
     * Kafka topics and HTTP, never through each other's classes (nor test-support, cli or console).
     */
    public static ArchRule serviceIsSelfContained(String servicePackage) {
        return noClasses()
                .that().resideInAPackage(servicePackage + "..")
                .should().dependOnClassesThat(rollwatchOutside(servicePackage, PLATFORM, EVENTS))
                .because("services share only platform and the event contract (events)");
    }

    /** Platform (the shared runtime every service builds on) depends on no service: only on itself and events. */
    public static ArchRule platformDependsOnNoService() {
        return noClasses()
                .that().resideInAPackage(PLATFORM + "..")
                .should().dependOnClassesThat(rollwatchOutside(PLATFORM, EVENTS))
                .because("platform is shared by every service and must not know any of them");
    }

    /** The event contract ({@code events}, also used by the CLI and the demo target) depends on nothing of Rollwatch. */
    public static ArchRule eventsDependOnNothingOfRollwatch() {
        return noClasses()
                .that().resideInAPackage(EVENTS + "..")
                .should().dependOnClassesThat(rollwatchOutside(EVENTS))
                .because("events is the contract between services and must stand alone");
    }

    /**
     * Every REST resource method of the service that takes a {@code @PathParam} declares how its service scope is
     * checked: {@code @ServiceScoped(kind, param)} by one of its path parameters (platform's interceptor then checks
     * it), or {@code @Unscoped("why")} with a reason (checked by hand under a lock, a query filtered by the caller's
     * services, …). A new endpoint on an object cannot forget the check silently: it fails this rule until it says
     * which. For the services whose objects belong to services (docs/security.md, "Service scope").
     */
    public static ArchRule objectEndpointsDeclareTheirScope(String servicePackage) {
        return methods()
                .that().areDeclaredInClassesThat().resideInAPackage(servicePackage + "..")
                .and(DescribedPredicate.describe("are REST resource methods taking a @PathParam",
                        (JavaMethod m) -> m.isMetaAnnotatedWith(HTTP_METHOD)
                                && m.getParameters().stream().anyMatch(p -> p.isAnnotatedWith(PATH_PARAM))))
                .should(declareTheirScope())
                .because("forgetting the object-level check is a cross-service leak (docs/security.md, "
                        + "\"Service scope\")");
    }

    private static ArchCondition<JavaMethod> declareTheirScope() {
        return new ArchCondition<>("be @ServiceScoped by one of their path parameters or @Unscoped with a reason") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                boolean scoped = method.isAnnotatedWith(SERVICE_SCOPED);
                boolean unscoped = method.isAnnotatedWith(UNSCOPED);
                String problem = null;
                if (scoped && unscoped) {
                    problem = "is both @ServiceScoped and @Unscoped";
                } else if (scoped) {
                    var annotation = method.getAnnotationOfType(SERVICE_SCOPED);
                    String param = String.valueOf(annotation.get("param").orElse(""));
                    String kind = String.valueOf(annotation.get("kind").orElse(""));
                    boolean known = method.getParameters().stream()
                            .map(p -> p.tryGetAnnotationOfType(PATH_PARAM))
                            .anyMatch(a -> a.isPresent() && param.equals(a.get().get("value").orElse(null)));
                    if (kind.isBlank()) {
                        problem = "is @ServiceScoped without a kind";
                    } else if (!known) {
                        problem = "is @ServiceScoped by '" + param + "', which is none of its path parameters "
                                + pathParams(method);
                    }
                } else if (unscoped) {
                    if (String.valueOf(method.getAnnotationOfType(UNSCOPED).get("value").orElse("")).isBlank()) {
                        problem = "is @Unscoped without a reason";
                    }
                } else {
                    problem = "takes path parameters " + pathParams(method)
                            + " but is neither @ServiceScoped nor @Unscoped(\"why\")";
                }
                events.add(new SimpleConditionEvent(method, problem == null,
                        method.getFullName() + " " + (problem == null ? "declares its scope" : problem)));
            }
        };
    }

    private static List<Object> pathParams(JavaMethod method) {
        return method.getParameters().stream().map(p -> p.tryGetAnnotationOfType(PATH_PARAM))
                .filter(Optional::isPresent).map(a -> a.get().get("value").orElse("?")).toList();
    }

    /** The given classes, their nested classes and lambdas: the origin of a stated exception. */
    public static DescribedPredicate<JavaClass> classes(Class<?>... classes) {
        return belongToAnyOf(classes);
    }

    /** The classes of a service's repository package: the target of a stated exception. */
    public static DescribedPredicate<JavaClass> repositoryOf(String servicePackage) {
        return resideInAPackage(servicePackage + ".repository..");
    }

    private static DescribedPredicate<JavaClass> rollwatchOutside(String... allowedPackages) {
        String[] patterns = new String[allowedPackages.length];
        for (int i = 0; i < allowedPackages.length; i++) {
            patterns[i] = allowedPackages[i] + "..";
        }
        return resideInAPackage(ROLLWATCH + "..").and(not(resideInAnyPackage(patterns)))
                .as("are Rollwatch classes outside " + String.join(", ", allowedPackages));
    }
}
