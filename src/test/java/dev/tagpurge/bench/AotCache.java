package dev.tagpurge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The JDK's ahead-of-time cache for the service, with {@code bench.aotCache=true}: before the
 * measured runs, one training run of a workload of its own writes the cache as the service exits;
 * every measured run's service then starts from it. The cache holds the classes loaded and linked
 * (Java 24 and later) and the methods' profiles (Java 25 and later), so the compiler starts the hot
 * methods' final compilation without first collecting their profiles again.
 *
 * <p>The JDK caches only classes of its own class loaders, so the service must be packaged as
 * Quarkus's {@code aot-jar}, whose {@code quarkus-run.jar} names every jar in its manifest's {@code
 * Class-Path}, where a fast-jar's names only Quarkus's boot jars; the benchmark profile packages it
 * when {@code bench.aotCache} is true.
 */
final class AotCache {

    /** Where the training run writes the cache, relative to the project (the service's cwd). */
    static final Path FILE = Path.of("target", "benchmark", "tagpurge.aot");

    /**
     * The training workload: fewer events than a measured run, over a fifth of its entities and
     * with less skew (and the seed of run 0, where measured runs use 1 onwards), so that the
     * measured runs do not replay what the cache saw.
     */
    static final int TRAINING_EVENTS = 200_000;

    static final double TRAINING_ZIPF = 0.9;

    private static final String USE = "-XX:AOTCache=";

    private AotCache() {}

    /** {@code bench.aotCache} (default false). */
    static boolean requested() {
        return Boolean.getBoolean("bench.aotCache");
    }

    /**
     * Throws if this JDK or the packaged service cannot make a cache worth measuring: a JDK before
     * 25 keeps no method profiles, and a fast-jar's classes come from Quarkus's own class loader,
     * which the JDK does not cache.
     */
    static void checkUsable(int jdkFeature, Path runnerJar) {
        if (jdkFeature < 25) {
            throw new IllegalStateException(
                    "bench.aotCache needs Java 25 or later (method profiles in the AOT cache);"
                            + " this is Java "
                            + jdkFeature);
        }
        if (!Files.isRegularFile(runnerJar)) {
            throw new IllegalStateException(runnerJar + " is missing: run `./mvnw verify` first");
        }
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath =
                    manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            // a fast-jar's Class-Path names only Quarkus's boot jars (lib/boot/...)
            boolean namesTheApplication =
                    classPath != null
                            && Arrays.stream(classPath.trim().split("\\s+"))
                                    .anyMatch(entry -> entry.startsWith("app/"));
            if (!namesTheApplication) {
                throw new IllegalStateException(
                        runnerJar
                                + " is not an aot-jar (its manifest's Class-Path does not name the"
                                + " application's jar): package with"
                                + " -Dquarkus.package.jar.type=aot-jar, as the benchmark profile"
                                + " does with -Dbench.aotCache=true");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The training run's parameters: its own workload, the service writing the cache at exit. */
    static Benchmark.Parameters training(Benchmark.Parameters p) {
        return p.withWorkload(
                TRAINING_EVENTS,
                trainingEntities(p),
                TRAINING_ZIPF,
                with(p.serviceJvmOptions(), "-XX:AOTCacheOutput=" + FILE));
    }

    /** The measured runs' parameters: the service starts from the cache, or does not start. */
    static Benchmark.Parameters measured(Benchmark.Parameters p) {
        return p.withWorkload(
                p.events(),
                p.entities(),
                p.zipf(),
                with(p.serviceJvmOptions(), "-XX:AOTMode=on", USE + FILE));
    }

    /** Whether the service in runs with these parameters starts from a cache. */
    static boolean used(Benchmark.Parameters p) {
        return p.serviceJvmOptions().stream().anyMatch(o -> o.startsWith(USE));
    }

    /** For the report: how the cache the runs started from was trained. */
    static String describe(Benchmark.Parameters p) {
        return String.format(
                "The service started from an AOT cache (%s) written by a training run before the"
                        + " measured runs: %,d events of its own, entities Zipf(s=%.2f) over %,d.",
                FILE, TRAINING_EVENTS, TRAINING_ZIPF, trainingEntities(p));
    }

    private static int trainingEntities(Benchmark.Parameters p) {
        return Math.max(1_000, p.entities() / 5);
    }

    private static List<String> with(List<String> options, String... more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
