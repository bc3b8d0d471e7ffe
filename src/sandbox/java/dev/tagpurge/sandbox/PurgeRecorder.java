package dev.tagpurge.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Every purge request the sandbox received, in arrival order. Thread-safe.
 *
 * <p>It keeps the newest {@code capacity} records so that a long local run cannot exhaust memory;
 * {@link #dropped()} counts what fell off, {@link #total()} counts everything ever recorded.
 */
public final class PurgeRecorder {

    /** Records kept by default: far above what a test or benchmark run asserts on. */
    public static final int DEFAULT_CAPACITY = 200_000;

    private final int capacity;
    private final Deque<RecordedPurge> purges = new ArrayDeque<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final List<Consumer<RecordedPurge>> listeners = new CopyOnWriteArrayList<>();
    private volatile Consumer<RecordedPurge> listener = purge -> {};

    public PurgeRecorder() {
        this(DEFAULT_CAPACITY);
    }

    public PurgeRecorder(int capacity) {
        this.capacity = capacity;
    }

    /** Adds one record, dropping the oldest when full. */
    public void record(RecordedPurge purge) {
        synchronized (purges) {
            if (purges.size() >= capacity) {
                purges.removeFirst();
                dropped.incrementAndGet();
            }
            purges.addLast(purge);
            total.incrementAndGet();
        }
        listeners.forEach(l -> l.accept(purge));
        listener.accept(purge);
    }

    /** Calls {@code listener} with every record from now on (the cached edges follow purges). */
    public void addListener(Consumer<RecordedPurge> listener) {
        listeners.add(listener);
    }

    /**
     * Runs {@code listener} on every purge as it is recorded, before the emulator answers it (on
     * the sandbox's event loop: keep it short): a test can act at the moment a CDN applies a purge,
     * for example refill an emulated edge cache from its origin. {@code null} removes it.
     */
    public void onRecord(Consumer<RecordedPurge> listener) {
        this.listener = listener != null ? listener : purge -> {};
    }

    /** A snapshot of the kept records, oldest first. */
    public List<RecordedPurge> purges() {
        synchronized (purges) {
            return List.copyOf(purges);
        }
    }

    /** A snapshot of one provider's records, oldest first. */
    public List<RecordedPurge> purges(String provider) {
        return purges().stream().filter(p -> p.provider().equals(provider)).toList();
    }

    /** Records accepted since the last {@link #clear()}, including any dropped. */
    public long total() {
        return total.get();
    }

    /** Records dropped because the recorder was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Forgets every record and resets the counters. */
    public void clear() {
        synchronized (purges) {
            purges.clear();
            total.set(0);
            dropped.set(0);
        }
    }
}
