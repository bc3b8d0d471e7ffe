package dev.tagpurge.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Small arithmetic and logging helpers of the benchmark. */
final class Stats {

    private Stats() {}

    static long sum(Collection<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The nearest-rank percentile of an ascending list; NaN when empty. */
    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The median over the runs of one measure (NaN where a run lacks it). */
    static double med(List<Map<String, Double>> runs, String key) {
        return median(runs.stream().map(r -> r.getOrDefault(key, Double.NaN)).toList());
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", Instant.now(), String.format(format, args));
    }
}
