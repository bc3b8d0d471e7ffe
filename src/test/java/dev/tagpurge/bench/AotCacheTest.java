package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {

    private final Benchmark.Parameters defaults = Benchmark.Parameters.fromSystemProperties();

    @Test
    void theTrainingRunHasAWorkloadOfItsOwnAndWritesTheCache() {
        Benchmark.Parameters training = AotCache.training(defaults);

        assertThat(training.events())
                .isEqualTo(AotCache.TRAINING_EVENTS)
                .isLessThan(defaults.events());
        assertThat(training.entities()).isEqualTo(defaults.entities() / 5);
        assertThat(training.zipf()).isNotEqualTo(defaults.zipf());
        assertThat(training.targets()).isEqualTo(defaults.targets());
        assertThat(training.partitions()).isEqualTo(defaults.partitions());
        assertThat(training.serviceJvmOptions())
                .startsWith(defaults.serviceJvmOptions().toArray(String[]::new))
                .endsWith("-XX:AOTCacheOutput=target/benchmark/tagpurge.aot");
        assertThat(AotCache.used(training)).isFalse();
    }

    @Test
    void theMeasuredRunsKeepTheirWorkloadAndRefuseToStartWithoutTheCache() {
        Benchmark.Parameters measured = AotCache.measured(defaults);

        assertThat(measured.events()).isEqualTo(defaults.events());
        assertThat(measured.entities()).isEqualTo(defaults.entities());
        assertThat(measured.zipf()).isEqualTo(defaults.zipf());
        assertThat(measured.serviceJvmOptions())
                .startsWith(defaults.serviceJvmOptions().toArray(String[]::new))
                .endsWith("-XX:AOTMode=on", "-XX:AOTCache=target/benchmark/tagpurge.aot");
        assertThat(AotCache.used(measured)).isTrue();
        assertThat(AotCache.used(defaults)).isFalse();
        assertThat(AotCache.describe(measured)).contains("200,000 events", "over 20,000");
    }

    @Test
    void aSmallKeySpaceStillTrainsOnAThousandEntities() {
        Benchmark.Parameters small =
                defaults.withWorkload(10_000, 2_000, 1.1, defaults.serviceJvmOptions());

        assertThat(AotCache.training(small).entities()).isEqualTo(1_000);
    }

    @Test
    void onlyJava25AndAnAotJarMakeACacheWorthMeasuring(@TempDir Path dir) throws IOException {
        Path aotJar = jar(dir.resolve("aot.jar"), "app/tagpurge.jar lib/main/a.jar");
        Path fastJar = jar(dir.resolve("fast.jar"), "lib/boot/runner.jar lib/boot/logging.jar");
        Path noClassPath = jar(dir.resolve("plain.jar"), null);

        assertThatNoException().isThrownBy(() -> AotCache.checkUsable(25, aotJar));
        assertThatThrownBy(() -> AotCache.checkUsable(21, aotJar))
                .hasMessageContaining("Java 25")
                .hasMessageContaining("Java 21");
        assertThatThrownBy(() -> AotCache.checkUsable(25, fastJar))
                .hasMessageContaining("not an aot-jar")
                .hasMessageContaining("-Dquarkus.package.jar.type=aot-jar");
        assertThatThrownBy(() -> AotCache.checkUsable(25, noClassPath))
                .hasMessageContaining("not an aot-jar");
        assertThatThrownBy(() -> AotCache.checkUsable(25, dir.resolve("missing.jar")))
                .hasMessageContaining("missing");
    }

    private static Path jar(Path path, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(path);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return path;
    }
}
