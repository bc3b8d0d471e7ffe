package dev.tagpurge.bench;

import dev.tagpurge.testing.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's live heap, read with {@code jcmd <pid> GC.class_histogram} (a full collection, then
 * every live object counted in the same pause), together with the events it had in flight: the
 * benchmark measures it three times during the saturated run and once idle after it, and reports
 * the difference per event in flight of the median measurement, in total and class by class. The
 * histogram's total, not {@code GC.heap_info}'s "used" after a {@code GC.run}: between those two
 * commands a saturated service allocates tens of megabytes, which "used" counts as if they were
 * live. The collector's filler objects ({@code jdk.internal.vm.Filler*}: dead space it formats as
 * objects, such as the Parallel collector's dense prefix, which a full collection leaves in place)
 * are listed by the histogram but held by nothing, so they are left out.
 *
 * @param classes the live objects by class name: instances and bytes
 */
record LiveHeap(
        double usedBytes,
        double inFlightEvents,
        double inFlightEstimateBytes,
        Map<String, Count> classes) {

    /** The live instances of one class and their bytes. */
    record Count(long instances, long bytes) {}

    // "   1:        173018       27795872  [B (java.base@25.0.3)"
    private static final Pattern ROW =
            Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final String FILLER = "jdk.internal.vm.Filler";
    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    /**
     * Measures now; null when jcmd failed or printed no classes. With {@code histogram} not null,
     * also writes jcmd's output there (largest classes first).
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
            return of(classes, (before + after) / 2, (bytesBefore + bytesAfter) / 2);
        } catch (IOException | RuntimeException e) {
            Stats.log("live heap not measured: %s", e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Reads a class histogram's rows; null when it has none. */
    static LiveHeap of(String histogram, double inFlightEvents, double inFlightEstimateBytes) {
        Map<String, Count> classes = new HashMap<>();
        long used = 0;
        Matcher row = ROW.matcher(histogram);
        while (row.find()) {
            String name = row.group(3);
            if (name.startsWith(FILLER) || name.startsWith("[L" + FILLER)) {
                continue;
            }
            Count c = new Count(Long.parseLong(row.group(1)), Long.parseLong(row.group(2)));
            classes.merge(
                    name, c, (a, b) -> new Count(a.instances + b.instances, a.bytes + b.bytes));
            used += c.bytes();
        }
        return classes.isEmpty()
                ? null
                : new LiveHeap(used, inFlightEvents, inFlightEstimateBytes, Map.copyOf(classes));
    }

    /**
     * The class of which every consumed record has exactly one live instance until its outcome is
     * written: counted in the histogram, it is the number of events in flight at the very pause the
     * heap was counted in, where the gauges are read before and after it.
     */
    static final String UNSETTLED_RECORD = "dev.tagpurge.event.BatchAcknowledgement$Record";

    /** The events in flight counted in the histogram itself ({@link #UNSETTLED_RECORD}). */
    long unsettledRecords() {
        Count c = classes.get(UNSETTLED_RECORD);
        return c == null ? 0 : c.instances();
    }

    /**
     * Live bytes per event in flight counted in the histograms themselves ({@link
     * #unsettledRecords}); NaN if unusable.
     */
    static double perUnsettledRecord(LiveHeap busy, LiveHeap idle) {
        if (busy == null || idle == null || busy.unsettledRecords() - idle.unsettledRecords() < 1) {
            return Double.NaN;
        }
        return (busy.usedBytes() - idle.usedBytes())
                / (busy.unsettledRecords() - idle.unsettledRecords());
    }

    /**
     * Fewer records in flight than this make a busy measurement unusable for the median: one taken
     * as the run was ending divides what is left of the heap's growth by a handful of events.
     */
    static final long MIN_UNSETTLED = 1_000;

    /** Whether {@code busy} had enough events in flight to say what one holds. */
    static boolean usable(LiveHeap busy, LiveHeap idle) {
        return busy != null
                && idle != null
                && busy.unsettledRecords() - idle.unsettledRecords() >= MIN_UNSETTLED;
    }

    /**
     * Of several busy measurements, the {@link #usable} one whose {@link #perUnsettledRecord} is
     * the median (the higher of the middle two for an even count); null when none is usable.
     */
    static LiveHeap median(List<LiveHeap> busy, LiveHeap idle) {
        List<LiveHeap> usable =
                busy.stream()
                        .filter(b -> usable(b, idle))
                        .sorted(Comparator.comparingDouble(b -> perUnsettledRecord(b, idle)))
                        .toList();
        return usable.isEmpty() ? null : usable.get(usable.size() / 2);
    }

    /** Live bytes per event in flight, from a busy and an idle measurement; NaN if unusable. */
    static double perEvent(LiveHeap busy, LiveHeap idle) {
        if (busy == null || idle == null || busy.inFlightEvents() - idle.inFlightEvents() < 1) {
            return Double.NaN;
        }
        return (busy.usedBytes() - idle.usedBytes())
                / (busy.inFlightEvents() - idle.inFlightEvents());
    }

    /**
     * What an event in flight holds, class by class: the {@code top} classes whose live bytes grew
     * most from idle to busy, as a Markdown table of instances and bytes per event in flight (a
     * negative row is a class that was larger idle). Empty if the two are unusable.
     */
    static String perEventByClass(LiveHeap busy, LiveHeap idle, int top) {
        double events =
                busy == null || idle == null ? 0 : busy.inFlightEvents() - idle.inFlightEvents();
        if (events < 1) {
            return "";
        }
        Set<String> names = new HashSet<>(busy.classes().keySet());
        names.addAll(idle.classes().keySet());
        Count none = new Count(0, 0);
        List<String[]> rows = new ArrayList<>();
        names.stream()
                .map(
                        n -> {
                            Count b = busy.classes().getOrDefault(n, none);
                            Count i = idle.classes().getOrDefault(n, none);
                            return Map.entry(
                                    n,
                                    new Count(
                                            b.instances() - i.instances(), b.bytes() - i.bytes()));
                        })
                .sorted(Comparator.comparingLong(e -> -e.getValue().bytes()))
                .limit(top)
                .forEach(
                        e ->
                                rows.add(
                                        new String[] {
                                            e.getKey(),
                                            String.format(
                                                    Locale.ROOT,
                                                    "%.2f",
                                                    e.getValue().instances() / events),
                                            String.format(
                                                    Locale.ROOT,
                                                    "%.0f",
                                                    e.getValue().bytes() / events)
                                        }));
        StringBuilder out =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%.0f events in flight by the gauges (busy %.0f, idle %.0f); %.0f B"
                                        + " per event in flight in all%n"
                                        + "%d by the histograms' own count of records not yet"
                                        + " settled; %.0f B per such event%n%n",
                                events,
                                busy.inFlightEvents(),
                                idle.inFlightEvents(),
                                perEvent(busy, idle),
                                busy.unsettledRecords() - idle.unsettledRecords(),
                                perUnsettledRecord(busy, idle)));
        out.append("| class | instances per event | bytes per event |\n|---|---|---|\n");
        for (String[] r : rows) {
            out.append("| `").append(r[0]).append("` | ").append(r[1]).append(" | ");
            out.append(r[2]).append(" |\n");
        }
        return out.toString();
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
