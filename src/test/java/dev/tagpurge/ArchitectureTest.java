package dev.tagpurge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering rules of STYLE.md: the core knows no SDK, adapters never reach into each other. */
class ArchitectureTest {

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.tagpurge");

    @Test
    void theCoreImportsNoSdkNorTransportTypes() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.tagpurge.coalesce..", "dev.tagpurge.mapping..")
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
    void theCoalescingWindowDependsOnNothingElseOfTagpurge() {
        noClasses()
                .that()
                .resideInAPackage("dev.tagpurge.coalesce..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.tagpurge.purge..", "dev.tagpurge.event..", "dev.tagpurge.sandbox..")
                .check(CLASSES);
    }

    @Test
    void corePurgeCodeDoesNotDependOnAnyProviderAdapter() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.tagpurge.purge", "dev.tagpurge.event..", "dev.tagpurge.completion..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.tagpurge.purge.fastly..",
                        "dev.tagpurge.purge.redis..",
                        "dev.tagpurge.purge.cloudflare..",
                        "dev.tagpurge.purge.cloudfront..",
                        "dev.tagpurge.purge.akamai..",
                        "dev.tagpurge.sandbox..")
                .check(CLASSES);
    }

    @Test
    void providerAdaptersDoNotDependOnEachOther() {
        for (String provider :
                new String[] {"fastly", "redis", "cloudflare", "cloudfront", "akamai"}) {
            noClasses()
                    .that()
                    .resideInAPackage("dev.tagpurge.purge." + provider + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(otherAdapters(provider))
                    .allowEmptyShould(true)
                    .check(CLASSES);
        }
    }

    private static String[] otherAdapters(String provider) {
        return java.util.stream.Stream.of("fastly", "redis", "cloudflare", "cloudfront", "akamai")
                .filter(p -> !p.equals(provider))
                .map(p -> "dev.tagpurge.purge." + p + "..")
                .toArray(String[]::new);
    }
}
