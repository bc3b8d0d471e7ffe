package dev.tagpurge.bench;

import dev.tagpurge.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the service while it runs: when it received its first event (polling {@code
 * tagpurge_events_received_total} every 50 ms), then every 500 ms its RSS and peak RSS ({@code
 * /proc/<pid>/status}) and its heap use ({@code /q/metrics}); at each of {@link #LIVE_HEAP_AT_MS}
 * after the first event, its live heap with the events in flight ({@link LiveHeap}).
 */
final class ServiceSampler implements Runnable {

    /**
     * When the live heap is measured, after the first event: late enough for the in-flight bound to
     * have filled, and more than once, because what an event in flight holds depends on what it is
     * waiting for at that moment (its window, a provider's answer, its completion's write).
     */
    static final List<Long> LIVE_HEAP_AT_MS = List.of(6_000L, 9_000L, 12_000L);

    private final ServiceProcess service;
    private final List<LiveHeap> busyLiveHeaps = new CopyOnWriteArrayList<>();
    private int liveHeapsTried;
    final AtomicLong firstReceivedMillis = new AtomicLong(Long.MAX_VALUE);
    final List<Double> rssKb = new CopyOnWriteArrayList<>();
    final List<Double> heapBytes = new CopyOnWriteArrayList<>();
    private volatile long peakHwmKb;
    private volatile boolean stopped;

    private final String histograms;

    /**
     * @param histograms where the classes of each live heap measured mid-run are written, as {@code
     *     <histograms>-<n>.txt}; null: the live heap is not measured
     */
    ServiceSampler(ServiceProcess service, String histograms) {
        this.service = service;
        this.histograms = histograms;
    }

    void stop() {
        stopped = true;
    }

    long peakHwmKb() {
        return peakHwmKb;
    }

    /** The median RSS of the second half of the samples (the first half includes warm-up). */
    double steadyRssKb() {
        return Stats.median(rssKb.subList(rssKb.size() / 2, rssKb.size()));
    }

    /** The live heaps measured during the run, in order; fewer when the run ended sooner. */
    List<LiveHeap> busyLiveHeaps() {
        return List.copyOf(busyLiveHeaps);
    }

    double peakHeapBytes() {
        return heapBytes.stream().mapToDouble(d -> d).max().orElse(0);
    }

    @Override
    public void run() {
        long lastSample = 0;
        while (!stopped) {
            long now = System.currentTimeMillis();
            try {
                if (firstReceivedMillis.get() == Long.MAX_VALUE) {
                    if (service.metric("tagpurge_events_received_total") > 0) {
                        firstReceivedMillis.set(now);
                    }
                } else if (now - lastSample >= 500) {
                    lastSample = now;
                    rssKb.add((double) statusKb(service.pid(), "VmRSS:"));
                    peakHwmKb = Math.max(peakHwmKb, statusKb(service.pid(), "VmHWM:"));
                    heapBytes.add(service.metric("jvm_memory_used_bytes{area=\"heap\""));
                    if (histograms != null
                            && liveHeapsTried < LIVE_HEAP_AT_MS.size()
                            && now - firstReceivedMillis.get()
                                    >= LIVE_HEAP_AT_MS.get(liveHeapsTried)) {
                        liveHeapsTried++;
                        LiveHeap busy =
                                LiveHeap.measure(
                                        service,
                                        Path.of(histograms + "-" + liveHeapsTried + ".txt"));
                        if (busy != null) {
                            busyLiveHeaps.add(busy);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // a sample lost under load; the next one counts
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** A field of {@code /proc/<pid>/status}, in kB; 0 if unreadable. */
    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
