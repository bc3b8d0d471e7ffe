package dev.tagpurge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of named processes and of the whole machine between two points, from {@code
 * /proc/<pid>/stat} (utime + stime) and {@code /proc/stat}, in clock ticks (USER_HZ, 100 a second
 * on Linux). Says where the machine's cores went during a phase of the benchmark.
 */
final class CpuAccounting {

    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private long machineBusyStart;
    private long machineTotalStart;
    private long startNanos;

    CpuAccounting(Map<String, Long> pids) {
        this.pids = pids;
    }

    void start() {
        startNanos = System.nanoTime();
        pids.forEach((name, pid) -> startTicks.put(name, processTicks(pid)));
        long[] machine = machineTicks();
        machineBusyStart = machine[0];
        machineTotalStart = machine[1];
    }

    /** Per process: CPU seconds used since {@link #start}; plus "machine busy" as a fraction. */
    Map<String, Double> stop() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> used = new LinkedHashMap<>();
        pids.forEach(
                (name, pid) ->
                        used.put(
                                name,
                                (processTicks(pid) - startTicks.get(name)) / TICKS_PER_SECOND));
        long[] machine = machineTicks();
        used.put(
                "machineBusy",
                (double) (machine[0] - machineBusyStart) / (machine[1] - machineTotalStart));
        used.put("wallSeconds", wall);
        return used;
    }

    /**
     * The share of one core that process {@code name} used over a phase, from what {@link #stop}
     * returned for it: 0.5 is half a core.
     */
    static double coreShare(Map<String, Double> used, String name) {
        return used.get(name) / used.get("wallSeconds");
    }

    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command may hold spaces and parentheses: fields start after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {busy, total} ticks of all cores: busy excludes idle and iowait. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user..steal; guest is in user
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
