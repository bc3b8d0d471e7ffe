package dev.tagpurge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * How the benchmark records the service's profile for its flame graphs, if at all. Both write a JFR
 * file that async-profiler's converter turns into HTML flame graphs of the saturated window.
 */
enum ServiceRecording {
    /** No recording: the figures are not disturbed by one. */
    NONE,
    /**
     * The JDK's own flight recorder ({@code bench.jfr=true}). The converter (4.5) cannot read the
     * execution samples of a JDK 25 recording, so on JDK 25 its CPU graph is empty.
     */
    JDK_FLIGHT_RECORDER,
    /**
     * async-profiler's agent ({@code bench.profiler=true}): CPU samples every millisecond (all
     * threads, the JIT compiler's and the collector's included) and allocation samples every 512
     * KiB, written as JFR when the service exits; readable by the converter on any JDK.
     */
    ASYNC_PROFILER;

    /** The agent's shared library in the {@code tools.profiler:async-profiler} jar. */
    private static final String AGENT_LIBRARY = "libasyncProfiler.so";

    /** {@code bench.profiler} over {@code bench.jfr}; neither: {@link #NONE}. */
    static ServiceRecording fromSystemProperties() {
        if (Boolean.getBoolean("bench.profiler")) {
            return ASYNC_PROFILER;
        }
        return Boolean.getBoolean("bench.jfr") ? JDK_FLIGHT_RECORDER : NONE;
    }

    /** The service's JVM options that write the recording to {@code file}. */
    List<String> jvmOptions(Path file, Path agentDirectory) {
        return switch (this) {
            case NONE -> List.of();
            case JDK_FLIGHT_RECORDER ->
                    List.of(
                            "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                                    + file.toAbsolutePath());
            case ASYNC_PROFILER ->
                    List.of(
                            "-agentpath:"
                                    + agentLibrary(agentDirectory)
                                    + "=start,event=cpu,interval=1ms,alloc=512k,file="
                                    + file.toAbsolutePath());
        };
    }

    /**
     * The agent's library for this machine, copied out of the jar on the benchmark's classpath into
     * {@code directory} (the JVM loads an agent from a file, not from a jar).
     */
    static Path agentLibrary(Path directory) {
        String platform = platform();
        URL resource =
                ServiceRecording.class.getClassLoader().getResource(platform + "/" + AGENT_LIBRARY);
        if (resource == null) {
            throw new IllegalStateException(
                    "async-profiler's agent for "
                            + platform
                            + " is not on the classpath (the tools.profiler:async-profiler jar)");
        }
        Path library = directory.resolve(AGENT_LIBRARY).toAbsolutePath();
        try (InputStream in = resource.openStream()) {
            Files.createDirectories(directory);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy async-profiler's agent to " + library, e);
        }
        return library;
    }

    /**
     * The jar's folder for this machine: the agent runs on Linux (x64, arm64) and macOS; elsewhere
     * {@code bench.profiler} fails with this message.
     */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return "macos";
        }
        if (!os.contains("linux")) {
            throw new IllegalStateException(
                    "bench.profiler: async-profiler's agent runs on Linux and macOS, not " + os);
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64", "arm64" -> "linux-arm64";
            default ->
                    throw new IllegalStateException(
                            "bench.profiler: no async-profiler agent for Linux on " + arch);
        };
    }
}
