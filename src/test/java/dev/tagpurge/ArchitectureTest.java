package dev.tagpurge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The package rules. Data flows event → mapping → coalesce → purge → completion; {@code event}
 * orchestrates and may call any of them, but no package calls back up the flow, so the packages
 * form no cycle. What every layer shares lives in {@code domain}, which depends on nothing else of
 * Tagpurge. The core knows no SDK, and provider adapters never reach into each other. The operator
 * API ({@code admin}) sits beside {@code event} over the purge core, asks {@code event} to explain
 * events (with the consumer's own steps); nothing uses it. {@code docs/architecture.md} lists the
 * dependencies as they are.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.tagpurge");

    @Test
    void theCoreImportsNoSdkNorTransportTypes() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.tagpurge.domain..",
                        "dev.tagpurge.coalesce..",
                        "dev.tagpurge.mapping..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "software.amazon..",
                        "io.vertx..",
                        "org.apache.kafka..",
                        "io.quarkus..",
                        "jakarta..",
                        "io.smallrye.reactive..",
                        "io.micrometer..",
                        "java.net.http..")
                .check(CLASSES);
    }

    @Test
    void thePackagesFormNoCycle() {
        // purge.fastly and the other adapters belong to the purge slice
        slices().matching("dev.tagpurge.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theDomainDependsOnNothingElseOfTagpurgeNorAnyTransport() {
        classes()
                .that()
                .resideInAPackage("dev.tagpurge.domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.tagpurge.domain..", "java..", "com.fasterxml.jackson..")
                .check(CLASSES);
    }

    @Test
    void mappingCoalescingAndRateLimitingSeeOnlyTheDomain() {
        for (String layer : new String[] {"mapping", "coalesce", "ratelimit"}) {
            noClasses()
                    .that()
                    .resideInAPackage("dev.tagpurge." + layer + "..")
                    .should()
                    .dependOnClassesThat(
                            resideInTagpurgeOutside("dev.tagpurge." + layer, "dev.tagpurge.domain"))
                    .check(CLASSES);
        }
    }

    @Test
    void configurationAndMetricNamesDependOnNoOtherPackage() {
        // configuration may name the domain's values (a purge mode), which depend on nothing
        noClasses()
                .that()
                .resideInAPackage("dev.tagpurge.config..")
                .should()
                .dependOnClassesThat(
                        resideInTagpurgeOutside("dev.tagpurge.config", "dev.tagpurge.domain"))
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAPackage("dev.tagpurge.metrics..")
                .should()
                .dependOnClassesThat(resideInTagpurgeOutside("dev.tagpurge.metrics"))
                .check(CLASSES);
    }

    @Test
    void noPackageCallsBackUpTheFlow() {
        // event is the start of the flow and its orchestrator: nothing may call back into it, but
        // the operator API (a leaf) asks it to explain an event with the consumer's own steps
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.tagpurge.event..", "dev.tagpurge.admin..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.tagpurge.event..")
                .check(CLASSES);
        // purge takes selectors already mapped and never announces completions itself
        noClasses()
                .that()
                .resideInAPackage("dev.tagpurge.purge..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.tagpurge.mapping..", "dev.tagpurge.completion..")
                .check(CLASSES);
        // completion is the end: it gets a finished completion event and knows no earlier layer
        noClasses()
                .that()
                .resideInAPackage("dev.tagpurge.completion..")
                .should()
                .dependOnClassesThat(
                        resideInTagpurgeOutside(
                                "dev.tagpurge.completion",
                                "dev.tagpurge.domain",
                                "dev.tagpurge.config",
                                "dev.tagpurge.metrics"))
                .check(CLASSES);
    }

    @Test
    void theOperatorApiIsALeafOverThePurgeCore() {
        // admin drives purge (the dispatcher's priority lane) and completion, and reads the rate
        // limiters' budgets for its preview; nothing drives admin
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.tagpurge.admin..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.tagpurge.admin..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAPackage("dev.tagpurge.admin..")
                .should()
                .dependOnClassesThat(
                        resideInTagpurgeOutside(
                                "dev.tagpurge.admin",
                                "dev.tagpurge.event",
                                "dev.tagpurge.purge",
                                "dev.tagpurge.completion",
                                "dev.tagpurge.domain",
                                "dev.tagpurge.config",
                                "dev.tagpurge.metrics",
                                "dev.tagpurge.ratelimit"))
                .check(CLASSES);
        // and of purge, only the core: never a provider adapter
        noClasses()
                .that()
                .resideInAPackage("dev.tagpurge.admin..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.tagpurge.purge.fastly..",
                        "dev.tagpurge.purge.redis..",
                        "dev.tagpurge.purge.cloudflare..",
                        "dev.tagpurge.purge.cloudfront..",
                        "dev.tagpurge.purge.akamai..")
                .check(CLASSES);
    }

    @Test
    void corePurgeCodeDoesNotDependOnAnyProviderAdapter() {
        // every subpackage of purge is an adapter, whatever its provider: the core lists none
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.tagpurge.purge", "dev.tagpurge.event..", "dev.tagpurge.completion..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.tagpurge.purge.*..", "dev.tagpurge.sandbox..")
                .check(CLASSES);
    }

    @Test
    void productionCodeHoldsNoSandboxAndNeverUsesIt() {
        // the sandbox is compiled from src/sandbox/java into the tests and tagpurge-sandbox.jar
        noClasses().should().resideInAPackage("dev.tagpurge.sandbox..").check(CLASSES);
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.tagpurge.sandbox..")
                .check(CLASSES);
    }

    @Test
    void theSandboxUsesOnlyWhatItsStandaloneJarBundles() {
        // target/sandbox-classes is what target/tagpurge-sandbox.jar holds
        // (src/sandbox/assembly.xml
        // adds these libraries and no other): nothing of the service, Quarkus or Kafka
        JavaClasses sandbox =
                new ClassFileImporter().importPath(Path.of("target", "sandbox-classes"));
        assertThat(sandbox)
                .as("target/sandbox-classes (built at process-test-classes)")
                .isNotEmpty();
        classes()
                .should()
                .resideInAPackage("dev.tagpurge.sandbox")
                .andShould()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.tagpurge.sandbox",
                        "java..",
                        "javax.xml..",
                        "org.w3c.dom..",
                        "org.xml.sax..",
                        "io.vertx.core..",
                        "io.vertx.ext.web..",
                        "io.netty..",
                        "com.fasterxml.jackson.core..",
                        "org.jboss.logging..",
                        "com.akamai.edgegrid.signer..")
                .check(sandbox);
    }

    @Test
    void providerAdaptersDoNotDependOnEachOther() {
        slices().matching("dev.tagpurge.purge.(*)..")
                .should()
                .notDependOnEachOther()
                .check(CLASSES);
    }

    /** Classes of Tagpurge outside {@code allowed} (each package with its subpackages). */
    private static DescribedPredicate<JavaClass> resideInTagpurgeOutside(String... allowed) {
        return DescribedPredicate.describe(
                "reside in dev.tagpurge outside " + String.join(", ", allowed),
                c ->
                        c.getPackageName().startsWith("dev.tagpurge.")
                                && Arrays.stream(allowed)
                                        .noneMatch(
                                                p ->
                                                        c.getPackageName().equals(p)
                                                                || c.getPackageName()
                                                                        .startsWith(p + ".")));
    }
}
