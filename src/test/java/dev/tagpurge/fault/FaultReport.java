package dev.tagpurge.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-line summary of a fault scenario, printed and appended to {@code target/fault-report.md}.
 * Written before the scenario's assertions, so a failing scenario is reported with its figures too.
 * Timings here are measurements, never pass/fail criteria.
 */
final class FaultReport {

    static final Path FILE = Path.of("target", "fault-report.md");

    private FaultReport() {}

    /** {@code FAULT <name>: events=…, lost=…, duplicates=… (bound …), recovery=… ms, <details>}. */
    static String write(
            String name,
            int events,
            int lost,
            int duplicates,
            long duplicateBound,
            long recoveryMs,
            String details) {
        String line =
                String.format(
                        "FAULT %s: events=%d, lost=%d, duplicates=%d (bound %d), recovery=%s%s",
                        name,
                        events,
                        lost,
                        duplicates,
                        duplicateBound,
                        recoveryMs < 0 ? "none" : recoveryMs + " ms",
                        details.isEmpty() ? "" : ", " + details);
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(
                        FILE,
                        "# Fault suite report\n\nOne line per fault scenario run (newest last)."
                                + " `recovery=none`: never recovered within the wait.\n\n",
                        StandardCharsets.UTF_8);
            }
            Files.writeString(
                    FILE, "- " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        return line;
    }
}
