package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.percentile;

import dev.tagpurge.bench.OperatorPurgeUnderBacklog.Accepted;
import dev.tagpurge.bench.OperatorPurgeUnderBacklog.Outcome;
import dev.tagpurge.bench.OperatorPurgeUnderBacklog.Probing;
import dev.tagpurge.bench.OperatorPurgeUnderBacklog.Sent;
import dev.tagpurge.sandbox.RecordedPurge;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator-under-backlog figures as markdown (p50 / p99 / max of each delay, the lag when the
 * purges were sent, the machine) and one CSV line per probe.
 */
final class OperatorBacklogReport {

    private static final double GOAL_MS = 2_000;

    private final Benchmark.Parameters p;
    private final Probing probing;
    private final List<String> providers;
    private final List<Sent> sent;
    private final ProbeArrivals arrivals;
    private final LagSampler lag;
    private final Map<Integer, Outcome> outcomes;
    private final List<RecordedPurge> recorded;
    private final long firstReceivedMillis;
    private final long drainedAtMillis;
    private String loadBefore = "";
    private String loadAfter = "";

    OperatorBacklogReport(
            Benchmark.Parameters p,
            Probing probing,
            List<String> providers,
            List<Sent> sent,
            ProbeArrivals arrivals,
            LagSampler lag,
            Map<Integer, Outcome> outcomes,
            List<RecordedPurge> recorded,
            long firstReceivedMillis,
            long drainedAtMillis) {
        this.p = p;
        this.probing = probing;
        this.providers = providers;
        this.sent = sent;
        this.arrivals = arrivals;
        this.lag = lag;
        this.outcomes = outcomes;
        this.recorded = recorded;
        this.firstReceivedMillis = firstReceivedMillis;
        this.drainedAtMillis = drainedAtMillis;
    }

    /** {@code /proc/loadavg} before the run and after it: how loaded the machine was. */
    void loadAverage(String before, String after) {
        this.loadBefore = before;
        this.loadAfter = after;
    }

    String render() throws IOException {
        StringBuilder b = new StringBuilder("# Operator purge under a backlog\n\n");
        double memGb = BenchmarkReport.memTotalGb();
        b.append(
                String.format(
                        "Date %s; machine: %d cores (nproc), %s (/proc/cpuinfo), %.1f GB memory"
                                + " (MemTotal); Java %s; load average (1/5/15 min, runnable/total,"
                                + " last pid) before `%s`, after `%s`; broker, Redis, sandbox, load"
                                + " generator and service all on this machine.%n%n",
                        Instant.now().toString().substring(0, 19) + "Z",
                        Runtime.getRuntime().availableProcessors(),
                        BenchmarkReport.cpuModel(),
                        memGb,
                        System.getProperty("java.version"),
                        loadBefore,
                        loadAfter));
        double drainSeconds = (drainedAtMillis - firstReceivedMillis) / 1000.0;
        b.append(
                String.format(
                        "Backlog: %,d change events (%d tags each) produced before the service"
                                + " started; targets %s on the sandbox; the service started as `%s`."
                                + " From %.1f s after the service consumed its first event, %d"
                                + " operator purges (`POST /api/purges`, one tag each, API key with"
                                + " `purge-operator`) every %d ms, and at the same moments the same"
                                + " purges as change events (one tag each) produced behind the"
                                + " backlog. Delay = from sending (POST / produce) to the sandbox's"
                                + " answer to the first 2xx request naming the tag; reached = on"
                                + " the last target. %s%n%n",
                        p.events(),
                        p.tagsPerEvent(),
                        String.join(" + ", providers),
                        Benchmark.serviceCommandLine(p),
                        probing.delayMs() / 1000.0,
                        sent.size(),
                        probing.intervalMs(),
                        drainedAtMillis == 0
                                ? "The backlog was not drained within the time limit."
                                : String.format(
                                        "Backlog drained %.1f s after the first event was"
                                                + " consumed (%,.0f events/s).",
                                        drainSeconds, (p.events() + sent.size()) / drainSeconds)));
        b.append("| measure | min | p50 | p99 | max | of |\n|---|---|---|---|---|---|\n");
        List<Double> opAll = delays(s -> reached(OperatorPurgeUnderBacklog.opTag(s), providers));
        row(b, "**operator purge: POST → reached every target**", opAll, " ms");
        for (String provider : providers) {
            row(
                    b,
                    "operator purge: POST → " + provider,
                    delays(s -> arrivals.at(OperatorPurgeUnderBacklog.opTag(s), provider)),
                    " ms");
        }
        row(
                b,
                "operator purge: POST → 202 answer",
                sorted(sent.stream().map(s -> s.accepted().join().millis()).toList()),
                " ms");
        row(
                b,
                "operator purge: POST → the service's handler (`createdAt`)",
                delays(s -> Optional.ofNullable(outcomes.get(s.index())).map(Outcome::createdAt)),
                " ms");
        row(b, "operator purge: handler → reached every target", handlerToAll(), " ms");
        List<Double> evAll = delaysFromProduction(providers, null);
        row(b, "**change event: produced → reached every target**", evAll, " ms");
        for (String provider : providers) {
            row(
                    b,
                    "change event: produced → " + provider,
                    delaysFromProduction(providers, provider),
                    " ms");
        }
        row(
                b,
                "input records not yet consumed by the service, at each POST",
                sorted(lags(LagSampler.Sample::unconsumed)),
                "");
        row(
                b,
                "input group lag (end − committed offsets), at each POST",
                sorted(lags(LagSampler.Sample::committedLag)),
                "");
        b.append('\n');
        requestRates(b);
        long accepted = sent.stream().filter(s -> s.accepted().join().status() == 202).count();
        long succeeded =
                outcomes.values().stream().filter(o -> "succeeded".equals(o.status())).count();
        double opP99 = percentile(opAll, 99);
        double evP50 = percentile(evAll, 50);
        b.append(
                String.format(
                        "Operator purge p99 %s 2 s: **%s**; the change-event route's p50 is %.1f×"
                                + " the operator purge's p99. %d of %d operator purges answered"
                                + " 202, %d of them `succeeded` in `GET /api/purges/{id}`"
                                + " afterwards; %d requests naming a probe tag were refused (not"
                                + " 2xx) and retried; %d of %d POSTs were sent while input records"
                                + " were still waiting in Kafka for the service. With fewer than"
                                + " 100 probes the p99 is the largest value (nearest rank).%n",
                        opP99 < GOAL_MS ? "<" : "≥",
                        opAll.size() < sent.size()
                                ? "missed (not every purge arrived)"
                                : opP99 < GOAL_MS ? "met" : "missed",
                        evP50 / opP99,
                        accepted,
                        sent.size(),
                        succeeded,
                        arrivals.refused(),
                        lags(LagSampler.Sample::unconsumed).stream().filter(v -> v > 0).count(),
                        sent.size()));
        return b.toString();
    }

    /** One line per probe: times sent, each delay in ms, the lag at that moment. */
    String csv() {
        StringBuilder b = new StringBuilder("probe,posted,status,accept_ms");
        for (String provider : providers) {
            b.append(",op_").append(provider).append("_ms");
        }
        b.append(",op_all_ms,produced");
        for (String provider : providers) {
            b.append(",ev_").append(provider).append("_ms");
        }
        b.append(",ev_all_ms,unconsumed,group_lag\n");
        for (Sent s : sent) {
            Accepted a = s.accepted().join();
            LagSampler.Sample sample = lag.before(s.posted());
            String op = OperatorPurgeUnderBacklog.opTag(s);
            String ev = OperatorPurgeUnderBacklog.evTag(s);
            b.append(s.index()).append(',').append(s.posted()).append(',').append(a.status());
            b.append(',').append(a.millis());
            for (String provider : providers) {
                b.append(',').append(ms(s.posted(), arrivals.at(op, provider)));
            }
            b.append(',').append(ms(s.posted(), reached(op, providers)));
            b.append(',').append(s.produced());
            for (String provider : providers) {
                b.append(',').append(ms(s.produced(), arrivals.at(ev, provider)));
            }
            b.append(',').append(ms(s.produced(), reached(ev, providers)));
            b.append(',').append(sample == null ? "" : sample.unconsumed());
            b.append(',').append(sample == null ? "" : sample.committedLag());
            b.append('\n');
        }
        return b.toString();
    }

    /** From the service's {@code createdAt} to the last target, per operator purge. */
    private List<Double> handlerToAll() {
        List<Double> out = new ArrayList<>();
        for (Sent s : sent) {
            Outcome o = outcomes.get(s.index());
            Optional<Instant> at = reached(OperatorPurgeUnderBacklog.opTag(s), providers);
            if (o != null && at.isPresent()) {
                out.add(millis(o.createdAt(), at.get()));
            }
        }
        return sorted(out);
    }

    /**
     * Requests per target over the run and the most in any one second: a target whose peak sits at
     * its rate limit (Cloudflare Enterprise: 50/s after a burst of 500) is paced by it.
     */
    private void requestRates(StringBuilder b) {
        b.append("Requests the sandbox answered, per target: ");
        List<String> parts = new ArrayList<>();
        for (String provider : providers) {
            Map<Long, Long> perSecond =
                    recorded.stream()
                            .filter(r -> r.provider().equals(provider))
                            .collect(
                                    Collectors.groupingBy(
                                            r -> r.at().getEpochSecond(), Collectors.counting()));
            long total = perSecond.values().stream().mapToLong(Long::longValue).sum();
            long peak = perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
            parts.add(
                    String.format(
                            "%s %,d (most in one second: %d, seconds with any: %d)",
                            provider, total, peak, perSecond.size()));
        }
        b.append(String.join("; ", parts)).append(".\n\n");
    }

    /**
     * Every request the sandbox answered during the run: when, which provider, its status, how many
     * items and how many of them were probe tags (to see gaps and what carried the probes).
     */
    String requestsCsv() {
        StringBuilder b = new StringBuilder("at,provider,status,items,op_probes,ev_probes\n");
        for (RecordedPurge r : recorded) {
            long op = r.items().stream().filter(i -> i.startsWith("op-probe-")).count();
            long ev = r.items().stream().filter(i -> i.startsWith("ev-probe-")).count();
            b.append(r.at()).append(',').append(r.provider()).append(',').append(r.status());
            b.append(',').append(r.items().size()).append(',').append(op).append(',').append(ev);
            b.append('\n');
        }
        return b.toString();
    }

    private Optional<Instant> reached(String tag, List<String> targets) {
        return arrivals.reachedAll(tag, targets);
    }

    /**
     * The operator purges' delays from their POST, ascending; a purge that never arrived is left
     * out.
     */
    private List<Double> delays(Function<Sent, Optional<Instant>> arrival) {
        List<Double> out = new ArrayList<>();
        for (Sent s : sent) {
            arrival.apply(s).ifPresent(at -> out.add(millis(s.posted(), at)));
        }
        return sorted(out);
    }

    /** The probe events' delays from their production, to {@code provider} or (null) to all. */
    private List<Double> delaysFromProduction(List<String> targets, String provider) {
        List<Double> out = new ArrayList<>();
        for (Sent s : sent) {
            String tag = OperatorPurgeUnderBacklog.evTag(s);
            Optional<Instant> at =
                    provider == null ? reached(tag, targets) : arrivals.at(tag, provider);
            at.ifPresent(t -> out.add(millis(s.produced(), t)));
        }
        return sorted(out);
    }

    /** One field of the lag read last before each POST. */
    private List<Double> lags(Function<LagSampler.Sample, Long> field) {
        return sent.stream()
                .map(s -> lag.before(s.posted()))
                .filter(Objects::nonNull)
                .map(sample -> field.apply(sample).doubleValue())
                .toList();
    }

    private void row(StringBuilder b, String name, List<Double> values, String unit) {
        b.append(
                String.format(
                        "| %s | %,.0f%s | %,.0f%s | %,.0f%s | %,.0f%s | %d of %d |%n",
                        name,
                        values.isEmpty() ? Double.NaN : values.get(0),
                        unit,
                        percentile(values, 50),
                        unit,
                        percentile(values, 99),
                        unit,
                        values.isEmpty() ? Double.NaN : values.get(values.size() - 1),
                        unit,
                        values.size(),
                        sent.size()));
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> out = new ArrayList<>(values);
        out.sort(Double::compare);
        return out;
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static String ms(Instant from, Optional<Instant> to) {
        return to.map(t -> String.format("%.1f", millis(from, t))).orElse("");
    }
}
