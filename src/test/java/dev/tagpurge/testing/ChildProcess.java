package dev.tagpurge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Process chores shared by the local servers: stopping by handle, pid files, scratch folders. */
final class ChildProcess {

    private ChildProcess() {}

    /**
     * Asks the process to stop (SIGTERM, so servers shut down cleanly), then kills it if it has not
     * exited after {@code graceSeconds}. Only ever touches the process we started.
     */
    static void stop(Process process, long graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Empties {@code dir} (left over from an earlier run on the same port) and creates it. */
    static Path freshDirectory(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(ChildProcess::delete);
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    static void writePidFile(Path pidFile, long pid) {
        try {
            Files.writeString(pidFile, pid + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pidFile, e);
        }
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** The folder for servers' scratch files: {@code target/} of the project the JVM runs in. */
    static Path buildDirectory() {
        return Path.of(System.getProperty("test.tagpurge.build-dir", "target")).toAbsolutePath();
    }
}
