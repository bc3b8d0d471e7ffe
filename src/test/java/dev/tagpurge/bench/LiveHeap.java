package dev.tagpurge.bench;

import dev.tagpurge.testing.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's live heap, read with {@code jcmd <pid> GC.class_histogram} (a full collection, then
 * every live object counted in the same pause), together with the events it had in flight: the
 * benchmark measures it once in the middle of the saturated run and once idle after it, and reports
 * the difference per event in flight. The histogram's total, not {@code GC.heap_info}'s "used"
 * after a {@code GC.run}: between those two commands a saturated service allocates tens of
 * megabytes, which "used" counts as if they were live.
 */
record LiveHeap(double usedBytes, double inFlightEvents, double inFlightEstimateBytes) {

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    /**
     * Measures now; null when jcmd failed or printed no total. With {@code histogram} not null,
     * also writes the classes of the live objects there (largest first), the evidence for what an
     * event in flight holds.
     */
    static LiveHeap measure(ServiceProcess service, Path histogram) {
        try {
            double before = gauge(service, "tagpurge_events_in_flight");
            double bytesBefore = gauge(service, "tagpurge_events_in_flight_bytes");
            String classes = jcmd(service.pid(), "GC.class_histogram");
            double after = gauge(service, "tagpurge_events_in_flight");
            double bytesAfter = gauge(service, "tagpurge_events_in_flight_bytes");
            if (histogram != null) {
                Files.writeString(histogram, classes);
            }
            Matcher total = TOTAL.matcher(classes);
            if (!total.find()) {
                return null;
            }
            return new LiveHeap(
                    Double.parseDouble(total.group(1)),
                    (before + after) / 2,
                    (bytesBefore + bytesAfter) / 2);
        } catch (IOException | RuntimeException e) {
            Stats.log("live heap not measured: %s", e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Live bytes per event in flight, from a busy and an idle measurement; NaN if unusable. */
    static double perEvent(LiveHeap busy, LiveHeap idle) {
        if (busy == null || idle == null || busy.inFlightEvents() - idle.inFlightEvents() < 1) {
            return Double.NaN;
        }
        return (busy.usedBytes() - idle.usedBytes())
                / (busy.inFlightEvents() - idle.inFlightEvents());
    }

    private static double gauge(ServiceProcess service, String name) {
        return service.metric(name + " ") + service.metric(name + "{");
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(JCMD.toString(), Long.toString(pid), command)
                        .redirectErrorStream(true)
                        .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
