package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.med;
import static dev.tagpurge.bench.Stats.median;
import static java.util.stream.Collectors.joining;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The markdown table of medians over the runs, with the machine and the workload. */
final class BenchmarkReport {

    private final Benchmark.Parameters p;
    private final List<Map<String, Double>> r;
    private final StringBuilder b = new StringBuilder();

    BenchmarkReport(Benchmark.Parameters parameters, List<Map<String, Double>> runs) {
        this.p = parameters;
        this.r = runs;
    }

    String render() throws IOException {
        b.append(title());
        b.append(
                String.format(
                        "Workload: %,d events, %d partitions, entities Zipf(s=%.2f) over %,d, %d tags"
                                + " per event (entity, category, list page), %.0f B per record;"
                                + " targets %s on the sandbox (Cloudflare on the Enterprise plan);"
                                + " per-event completions; the service started as `%s`; %d run(s),"
                                + " medians shown.%n%n",
                        p.events(),
                        p.partitions(),
                        p.zipf(),
                        p.entities(),
                        p.tagsPerEvent(),
                        med(r, "recordSize"),
                        String.join(" + ", p.targets()),
                        Benchmark.serviceCommandLine(p),
                        p.runs()));
        if (AotCache.used(p)) {
            b.append(AotCache.describe(p)).append("\n\n");
        }
        b.append("| measure | value | goal |\n|---|---|---|\n");
        row("Tagpurge end-to-end throughput", "%,.0f events/s", "throughput", "");
        row(
                "Kafka producer ceiling (ProducerPerformance, acks=all)",
                "%,.0f records/s",
                "producerCeiling",
                "");
        row(
                "Kafka consumer ceiling (ConsumerPerformance, fetch rate)",
                "%,.0f records/s",
                "consumerCeiling",
                "");
        row(
                "Kafka pass-through ceiling (consume + write one of the service's completions)",
                "%,.0f records/s",
                "passThrough",
                "");
        row("throughput ÷ producer ceiling", "%.2f", "throughputRatio", "");
        row("throughput ÷ pass-through ceiling", "%.2f", "passThroughRatio", "≥ 0.5");
        value(
                "CPU per event in the saturated run: service / broker / sandbox and load",
                String.format(
                        "%.0f / %.0f / %.0f µs",
                        med(r, "serviceCpuUsPerEvent"),
                        med(r, "brokerCpuUsPerEvent"),
                        med(r, "benchCpuUsPerEvent")),
                "service ≤ 20 µs");
        if (!Double.isNaN(med(r, "passThroughClientCpuUsPerRecord"))) {
            value(
                    "CPU per record in the pass-through: its client (the benchmark's JVM) / broker",
                    String.format(
                            "%.1f / %.1f µs",
                            med(r, "passThroughClientCpuUsPerRecord"),
                            med(r, "passThroughBrokerCpuUsPerRecord")),
                    "");
        }
        if (!Double.isNaN(med(r, "brokerJitUsPerEvent"))
                && !Double.isNaN(med(r, "passThroughBrokerJitUsPerRecord"))) {
            value(
                    "of the broker's CPU, its JIT compiler per event: service's saturated run /"
                            + " pass-through"
                            + (Double.isNaN(med(r, "brokerWarmUpPasses"))
                                    ? " (the broker not warmed first)"
                                    : String.format(
                                            " (the broker warmed by %.0f copies of the events"
                                                    + " first)",
                                            med(r, "brokerWarmUpPasses"))),
                    String.format(
                            "%.1f / %.1f µs",
                            med(r, "brokerJitUsPerEvent"),
                            med(r, "passThroughBrokerJitUsPerRecord")),
                    "");
        }
        if (!Double.isNaN(med(r, "serviceFetchesPer1k"))
                && !Double.isNaN(med(r, "passThroughFetchesPer1k"))) {
            value(
                    "requests to the broker per 1,000 events, fetch / produce / offset commit:"
                            + " service / pass-through",
                    String.format(
                            "%.1f / %.1f / %.2f against %.1f / %.1f / %.2f",
                            med(r, "serviceFetchesPer1k"),
                            med(r, "serviceProducesPer1k"),
                            med(r, "serviceCommitsPer1k"),
                            med(r, "passThroughFetchesPer1k"),
                            med(r, "passThroughProducesPer1k"),
                            med(r, "passThroughCommitsPer1k")),
                    "");
        }
        row("machine busy during the saturated run", "%.2f of all cores", "machineBusy", "");
        row(
                "second half of the saturated run (JIT warm): throughput",
                "%,.0f events/s",
                "warmThroughput",
                "");
        row(
                "second half of the saturated run: throughput ÷ pass-through ceiling",
                "%.2f",
                "warmPassThroughRatio",
                "");
        row(
                "second half of the saturated run: service CPU per event",
                "%.0f µs",
                "warmServiceCpuUsPerEvent",
                "");
        if (!Double.isNaN(med(r, ServiceThreads.perEventKey(ServiceThreads.Role.JIT, false)))) {
            value(
                    "service CPU per event without the JIT compiler's threads: saturated run /"
                            + " second half",
                    String.format(
                            "%.0f / %.0f µs",
                            med(r, ServiceThreads.withoutJitKey(false)),
                            med(r, ServiceThreads.withoutJitKey(true))),
                    "");
            value(
                    "service CPU per event by thread, µs: saturated run / second half",
                    byRole(
                            role ->
                                    String.format(
                                            "%.1f / %.1f",
                                            med(r, ServiceThreads.perEventKey(role, false)),
                                            med(r, ServiceThreads.perEventKey(role, true)))),
                    "");
            String blocked =
                    byRole(
                            role ->
                                    String.format(
                                            "%.1f",
                                            med(r, ServiceThreads.blockedKey(role, false))));
            value(
                    "service threads switched out per 1,000 events in the saturated run: blocked"
                            + " and woken for work / preempted",
                    String.format(
                            "%.1f / %.1f (blocked by thread: %s)",
                            med(r, ServiceThreads.blockedKey(false)),
                            med(r, ServiceThreads.preemptedKey(false)),
                            blocked),
                    "");
        }
        row(
                "service heap allocated per event in the saturated run"
                        + " (jvm_gc_memory_allocated_bytes_total)",
                "%,.0f B",
                "allocatedBytesPerEvent",
                "");
        row("completion record value, average", "%,.0f B", "completionBytes", "");
        row(
                "completions as the broker stores them, per record (batches, compression)",
                "%,.0f B",
                "completionStoredBytes",
                "");
        for (String t : p.targets()) {
            row(t + ": purge requests", "%,.0f", t + "Requests", "");
            row(t + ": minimum for the same flushes", "%,.0f", t + "Minimum", "");
            row(t + ": requests ÷ minimum", "%.3f", t + "Ratio", "≤ 1.05");
            row(t + ": requests per 1,000 events", "%.2f", t + "Per1000", "");
            row(t + ": tags sent (after coalescing)", "%,.0f", t + "Items", "");
            row(t + ": requests answered non-2xx", "%,.0f", t + "Failed", "");
        }
        row(
                "naive purger throughput (1 Fastly request per event, sequential)",
                "%,.0f events/s",
                "naiveThroughput",
                "");
        row("naive purger requests per 1,000 events", "%,.0f", "naivePer1000", "");
        value(
                "Tagpurge ÷ naive throughput",
                String.format("%.1f×", med(r, "throughput") / med(r, "naiveThroughput")),
                "");
        if (p.targets().contains("fastly")) {
            value(
                    "naive ÷ Tagpurge requests (Fastly)",
                    String.format("%.0f×", med(r, "naivePer1000") / med(r, "fastlyPer1000")),
                    "");
        }
        latency("light", String.format("%,d events/s", p.latencyRate()), "≤ 65 ms (linger + 15)");
        value(
                "  CPU during that window, share of a core: service / broker / benchmark JVM (load,"
                        + " sandbox)",
                String.format(
                        "%.0f%% / %.0f%% / %.0f%%",
                        100 * med(r, "lightServiceCores"),
                        100 * med(r, "lightBrokerCores"),
                        100 * med(r, "lightBenchCores")),
                "");
        row(
                "  service CPU per event at that load (the consumer fetches about once per event)",
                "%.0f µs",
                "lightServiceUsPerEvent",
                "");
        latency("saturation", "the measured throughput", "");
        value(
                String.format(
                        "p99 during the %d s warm-up before each latency window: light /"
                                + " saturation",
                        p.latencyWarmupSeconds()),
                String.format(
                        "%.0f / %.0f ms", med(r, "lightWarmupP99"), med(r, "saturationWarmupP99")),
                "");
        row("peak RSS during the saturated run (VmHWM)", "%.0f MB", "peakRssMb", "≤ 400 MB");
        row(
                "live heap per event in flight (jcmd GC.class_histogram, mid-run − idle; the run's median measurement)",
                "%,.0f B",
                "liveHeapPerEvent",
                "≤ 1,024 B");
        row("  events in flight at that moment", "%,.0f", "liveHeapInFlight", "");
        row(
                "  per event in flight as the histogram counts them (records not yet settled)",
                "%,.0f B",
                "liveHeapPerUnsettled",
                "");
        row("  records not yet settled in the histogram", "%,.0f", "liveHeapUnsettled", "");
        value(
                String.format(
                        "  the lowest / highest of the run's %.0f measurements, as the histogram"
                                + " counts them (the figures above are the median's)",
                        med(r, "liveHeapMeasurements")),
                String.format(
                        "%,.0f / %,.0f B",
                        med(r, "liveHeapPerUnsettledLow"), med(r, "liveHeapPerUnsettledHigh")),
                "");
        row("  live heap then", "%.0f MB", "liveHeapBusyMb", "");
        row("  live heap idle", "%.0f MB", "liveHeapIdleMb", "");
        row(
                "  the service's own estimate of the in-flight bytes",
                "%.0f MB",
                "liveHeapEstimateMb",
                "");
        row("steady RSS (median VmRSS, second half of the run)", "%.0f MB", "steadyRssMb", "");
        row(
                "peak heap used (jvm_memory_used_bytes{area=heap}, sampled)",
                "%.0f MB",
                "peakHeapMb",
                "");
        b.append("\nPer run:\n\n");
        for (int i = 0; i < r.size(); i++) {
            b.append("- run ").append(i + 1).append(": ").append(r.get(i)).append('\n');
        }
        return b.toString();
    }

    /** Every thread role's label and its {@code figure}, in the roles' order, as one cell. */
    static String byRole(Function<ServiceThreads.Role, String> figure) {
        return Arrays.stream(ServiceThreads.Role.values())
                .map(role -> role.label + " " + figure.apply(role))
                .collect(joining("; "));
    }

    /**
     * The processor as {@code /proc/cpuinfo} names it, with its clock: two sessions' runs may be on
     * different hosts, and their figures are compared knowing that.
     */
    static String cpuModel() throws IOException {
        return cpuModel(Files.readAllLines(Path.of("/proc/cpuinfo")));
    }

    /** {@link #cpuModel()} from the lines of {@code /proc/cpuinfo}: its first processor's. */
    static String cpuModel(List<String> cpuinfo) {
        String model = procField(cpuinfo, "model name");
        String mhz = procField(cpuinfo, "cpu MHz");
        String named = model == null || model.isEmpty() ? "an unnamed processor" : model;
        if (mhz == null) {
            return named;
        }
        try {
            return named + " at " + Math.round(Double.parseDouble(mhz)) + " MHz";
        } catch (NumberFormatException e) {
            return named;
        }
    }

    /**
     * The value of the field {@code name} in the lines of a {@code /proc} file of {@code name :
     * value} lines ({@code cpuinfo}, {@code meminfo}), the first one's; null if there is none.
     */
    private static String procField(List<String> lines, String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The machine's memory (MemTotal), in GB. */
    static double memTotalGb() throws IOException {
        String kb = procField(Files.readAllLines(Path.of("/proc/meminfo")), "MemTotal");
        return kb == null ? 0 : Double.parseDouble(kb.replaceAll("[^0-9]", "")) / 1024 / 1024;
    }

    /** The report's title and the machine it ran on. */
    static String title() throws IOException {
        double memGb = memTotalGb();
        return String.format(
                "# Tagpurge benchmark%n%nDate %s; machine: %d cores (nproc), %s (/proc/cpuinfo),"
                        + " %.1f GB memory (MemTotal); Java %s; broker, Redis, sandbox, load"
                        + " generator and service all on this machine.%n%n",
                Instant.now().toString().substring(0, 19) + "Z",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                memGb,
                System.getProperty("java.version"));
    }

    /**
     * The scarce-bucket phase's table ({@link ScarceBucketRun}): a row per arm, each cell the
     * median over its runs followed by each run's value, then whatever made a run's figures wrong.
     */
    static String scarceBucket(
            Benchmark.Parameters p, ScarceBucketRun.Settings s, List<ScarceBucketResult> results) {
        StringBuilder t = new StringBuilder();
        t.append(
                String.format(
                        "%n## Cost under a scarce bucket (Cloudflare Pro)%n%nA burst of %,d events"
                                + " produced as fast as the producer goes, one tag each, drawn"
                                + " Zipf(s=%.2f) over %,d tags, %d partitions; one Cloudflare"
                                + " target on the Pro plan (25 requests of burst, 5 more a second,"
                                + " 100 tags a request) on the sandbox, which answers 429 beyond"
                                + " that bucket; per-event completions. Arms: linger only"
                                + " (tagpurge.coalesce.max-linger=50ms, the linger) and stretching"
                                + " linger (the service's default max-linger). %d run(s) of each"
                                + " arm, interleaved; both arms of a run send the same events. Each"
                                + " cell: the median over the runs (then each run's value)."
                                + " min(distinct) = ceil(distinct tags ÷ 100); latency = from an"
                                + " event's production to its completion's write; drain = from the"
                                + " first event produced to the last completion.%n%n",
                        s.events(), p.zipf(), s.tags(), p.partitions(), s.runs()));
        if (!s.setMaxLinger()) {
            t.append(
                    "With bench.scarceMaxLinger=false the linger-only arm did not set"
                            + " tagpurge.coalesce.max-linger: both arms ran the service's"
                            + " defaults.\n\n");
        }
        t.append(
                "| arm | requests | 429s | distinct tags | items carried | min(distinct) |"
                        + " requests ÷ min(distinct) | requests ÷ ceil(items ÷ 100) | latency p50"
                        + " ms | p99 ms | max ms | drain s |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<ScarceBucketResult>> byArm = new LinkedHashMap<>();
        results.forEach(r -> byArm.computeIfAbsent(r.arm(), a -> new ArrayList<>()).add(r));
        byArm.forEach((arm, runs) -> t.append(scarceBucketRow(arm, runs)));
        List<String> errors = new ArrayList<>();
        for (ScarceBucketResult r : results) {
            r.errors().forEach(e -> errors.add("- run " + r.run() + ", " + r.arm() + ": " + e));
        }
        t.append(errors.isEmpty() ? "\nErrors: none.\n" : "\nErrors:\n\n");
        errors.forEach(e -> t.append(e).append('\n'));
        return t.toString();
    }

    private static String scarceBucketRow(String arm, List<ScarceBucketResult> runs) {
        List<String> cells =
                List.of(
                        arm,
                        cell(runs, ScarceBucketResult::requests, "%,.0f"),
                        cell(runs, ScarceBucketResult::tooMany, "%,.0f"),
                        cell(runs, ScarceBucketResult::distinctSent, "%,.0f"),
                        cell(runs, ScarceBucketResult::items, "%,.0f"),
                        cell(runs, ScarceBucketResult::minimum, "%,.0f"),
                        cell(runs, ScarceBucketResult::perMinimum, "%.2f"),
                        cell(runs, ScarceBucketResult::perItemsMinimum, "%.2f"),
                        cell(runs, ScarceBucketResult::p50Ms, "%,.0f"),
                        cell(runs, ScarceBucketResult::p99Ms, "%,.0f"),
                        cell(runs, ScarceBucketResult::maxMs, "%,.0f"),
                        cell(runs, ScarceBucketResult::drainSeconds, "%.1f"));
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** The median of one measure over {@code runs}, then each run's value when there are more. */
    static <R> String cell(List<R> runs, ToDoubleFunction<R> measure, String format) {
        List<Double> values = runs.stream().map(measure::applyAsDouble).toList();
        String median = String.format(format, median(values));
        if (values.size() < 2) {
            return median;
        }
        return median
                + " ("
                + values.stream().map(v -> String.format(format, v)).collect(joining(" / "))
                + ")";
    }

    /** The load sweep's table, beside its chart {@code latency-vs-load.png}. */
    static String loadSweep(List<Charts.LoadPoint> points) {
        StringBuilder t = new StringBuilder();
        t.append("\n## Latency against offered load (run 1; chart: latency-vs-load.png)\n\n");
        t.append(
                "| offered events/s | completed events/s | p50 ms | p99 ms |\n|---|---|---|---|\n");
        for (Charts.LoadPoint point : points) {
            t.append(
                    String.format(
                            "| %,.0f | %,.0f | %.0f | %.0f |%n",
                            point.offeredPerSecond(),
                            point.achievedPerSecond(),
                            point.p50(),
                            point.p99()));
        }
        return t.toString();
    }

    /** The partition sweep's table, beside its chart {@code throughput-vs-partitions.png}. */
    static String partitionSweep(List<Charts.PartitionPoint> points, int events) {
        StringBuilder t = new StringBuilder();
        t.append(
                String.format(
                        "%n## Throughput against partitions (%,d events per point; chart:"
                                + " throughput-vs-partitions.png)%n%n",
                        events));
        t.append("| partitions | Tagpurge events/s | pass-through records/s | ratio |\n");
        t.append("|---|---|---|---|\n");
        for (Charts.PartitionPoint point : points) {
            t.append(
                    String.format(
                            "| %d | %,.0f | %,.0f | %.2f |%n",
                            point.partitions(),
                            point.throughput(),
                            point.passThrough(),
                            point.throughput() / point.passThrough()));
        }
        return t.toString();
    }

    /**
     * The replica sweep: one row per run in the order run ({@code bench.replicaSweep=1,2,1,2}
     * interleaves them), then the median per replica count.
     */
    static String replicaSweep(List<Map<String, Double>> points, int events, int partitions) {
        StringBuilder t = new StringBuilder();
        t.append(
                String.format(
                        "%n## Throughput against replicas (%,d events per run, %d partitions, one"
                                + " consumer group, started together; CPU is all replicas')%n%n",
                        events, partitions));
        t.append(
                "| replicas | Tagpurge events/s | pass-through records/s | ratio | service CPU µs/event"
                        + " | machine busy |\n");
        t.append("|---|---|---|---|---|---|\n");
        for (Map<String, Double> point : points) {
            t.append(replicaRow(String.format("%.0f", point.get("replicas")), List.of(point)));
        }
        Map<Double, List<Map<String, Double>>> byCount = new TreeMap<>();
        points.forEach(
                point ->
                        byCount.computeIfAbsent(point.get("replicas"), n -> new ArrayList<>())
                                .add(point));
        if (byCount.values().stream().anyMatch(runs -> runs.size() > 1)) {
            byCount.forEach(
                    (n, runs) ->
                            t.append(
                                    replicaRow(
                                            String.format("%.0f (median of %d)", n, runs.size()),
                                            runs)));
        }
        return t.toString();
    }

    /**
     * The runs from an AOT cache against the same runs without it, interleaved on the same events
     * and the same aot-jar package: the cache's own effect.
     */
    static String aotCacheComparison(
            List<Map<String, Double>> withCache, List<Map<String, Double>> withoutCache) {
        StringBuilder t = new StringBuilder();
        t.append(
                String.format(
                        "%n## The AOT cache against none (%d runs each, interleaved, on the same"
                                + " events and package; medians)%n%n",
                        withCache.size()));
        t.append("| measure | without the cache | with it |\n|---|---|---|\n");
        List<String[]> rows =
                List.of(
                        new String[] {"throughput, events/s", "throughput", "%,.0f"},
                        new String[] {"service CPU per event, µs", "serviceCpuUsPerEvent", "%.1f"},
                        new String[] {"  of which the JIT compiler", "cpuJITUsPerEvent", "%.1f"},
                        new String[] {"  of which the collector", "cpuCOLLECTORUsPerEvent", "%.1f"},
                        new String[] {
                            "second half of the run (JIT warm), µs",
                            "warmServiceCpuUsPerEvent",
                            "%.1f"
                        },
                        new String[] {"allocated per event, B", "allocatedBytesPerEvent", "%,.0f"},
                        new String[] {"peak RSS, MB", "peakRssMb", "%.0f"},
                        new String[] {"throughput ÷ pass-through", "passThroughRatio", "%.2f"});
        for (String[] row : rows) {
            t.append(
                    String.format(
                            "| %s | %s | %s |%n",
                            row[0],
                            String.format(row[2], med(withoutCache, row[1])),
                            String.format(row[2], med(withCache, row[1]))));
        }
        return t.toString();
    }

    private static String replicaRow(String label, List<Map<String, Double>> runs) {
        return String.format(
                "| %s | %,.0f | %,.0f | %.2f | %.0f | %.0f%% |%n",
                label,
                med(runs, "throughput"),
                med(runs, "passThrough"),
                med(runs, "passThroughRatio"),
                med(runs, "serviceCpuUsPerEvent"),
                100 * med(runs, "machineBusy"));
    }

    private void latency(String key, String load, String p99Goal) {
        String at = " at " + load;
        value(
                "latency p50 / p99 / p99.9" + at + " (linger 50 ms; after the warm-up)",
                String.format(
                        "%.0f / %.0f / %.0f ms",
                        med(r, key + "P50"), med(r, key + "P99"), med(r, key + "P999")),
                p99Goal.isEmpty() ? "" : "p99 " + p99Goal);
        value(
                "  of which produced → consumed, p50 / p99" + at,
                String.format(
                        "%.0f / %.0f ms", med(r, key + "DeliveryP50"), med(r, key + "DeliveryP99")),
                "");
        value(
                "  of which consumed → confirmed, p50 / p99" + at,
                String.format(
                        "%.0f / %.0f ms", med(r, key + "ServiceP50"), med(r, key + "ServiceP99")),
                "");
    }

    private void row(String name, String format, String key, String goal) {
        value(name, String.format(format, med(r, key)), goal);
    }

    private void value(String name, String value, String goal) {
        b.append("| ")
                .append(name)
                .append(" | ")
                .append(value)
                .append(" | ")
                .append(goal)
                .append(" |\n");
    }
}
