package dev.tagpurge.coalesce;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKey;
import dev.tagpurge.domain.SelectorKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The per-target coalescing window: pending selectors are deduplicated and subsumed as they arrive,
 * and taken out as {@link Batch}es when a request is full or the oldest selector of a group has
 * waited the linger. DESIGN.md beside this class explains the rules.
 *
 * <p>Pure logic: time is passed in ({@link System#nanoTime()} scale), nothing is scheduled here,
 * and the class is not thread-safe; its owner serialises access.
 *
 * @param <W> what callers attach to each contribution, handed back in the batch
 */
public final class CoalescingWindow<W> {

    private final RequestLimits limits;
    private final boolean caseInsensitiveTags;
    private final long lingerNanos;
    private final long maxLingerNanos;
    private long partialHeldUntilNanos = Long.MIN_VALUE;
    private final Map<SelectorKey, PendingSelector<W>> byKey = new HashMap<>();
    private final Map<SelectorKind, EnumMap<PurgeMode, Group<W>>> groups =
            new EnumMap<>(SelectorKind.class);
    private final PriorityQueue<Delayed<W>> delayed = new PriorityQueue<>();

    /** A window whose partly full groups are due at the linger, never later. */
    public CoalescingWindow(RequestLimits limits, boolean caseInsensitiveTags, long lingerNanos) {
        this(limits, caseInsensitiveTags, lingerNanos, lingerNanos);
    }

    /**
     * A window whose partly full groups may be held past the linger ({@link #holdPartial}), up to
     * {@code maxLingerNanos} after their oldest selector arrived.
     */
    public CoalescingWindow(
            RequestLimits limits,
            boolean caseInsensitiveTags,
            long lingerNanos,
            long maxLingerNanos) {
        this.limits = limits;
        this.caseInsensitiveTags = caseInsensitiveTags;
        this.lingerNanos = lingerNanos;
        this.maxLingerNanos = Math.max(lingerNanos, maxLingerNanos);
        for (SelectorKind kind : SelectorKind.values()) {
            EnumMap<PurgeMode, Group<W>> byMode = new EnumMap<>(PurgeMode.class);
            for (PurgeMode mode : PurgeMode.values()) {
                byMode.put(mode, new Group<>(kind, mode));
            }
            groups.put(kind, byMode);
        }
    }

    /**
     * Adds one contribution of {@code selector} in {@code mode} on behalf of {@code waiter}.
     *
     * @return how many selectors collapsed: 1 when this one merged into a pending one (duplicate or
     *     subsumed), the number of pending selectors it absorbed when it is wider (a prefix or
     *     everything), else 0
     */
    public int add(Selector selector, PurgeMode mode, W waiter, long nowNanos) {
        return add(selector, mode, waiter, nowNanos, false);
    }

    /**
     * {@link #add(Selector, PurgeMode, Object, long)}, and with {@code ahead} the pending selector
     * that now carries this contribution (itself, the one it merged into, or the prefix or
     * everything covering it) is due at once and goes out before any group without such a selector:
     * the priority lane of operator purges. It still merges with what is pending, and its request
     * still waits for the rate limiter.
     */
    public int add(Selector selector, PurgeMode mode, W waiter, long nowNanos, boolean ahead) {
        PendingSelector<W> coverer = findCoverer(selector, mode);
        if (coverer != null) {
            coverer.addWaiter(waiter);
            if (ahead) {
                putAhead(coverer);
            }
            return 1;
        }
        SelectorKey key = selector.identity(caseInsensitiveTags);
        PendingSelector<W> existing = byKey.get(key);
        if (existing != null) {
            existing.addWaiter(waiter);
            upgrade(existing, mode);
            if (ahead) {
                putAhead(existing);
            }
            return 1;
        }
        PendingSelector<W> entry = new PendingSelector<>(key, selector, mode, nowNanos);
        entry.addWaiter(waiter);
        int absorbed = absorbCovered(entry);
        byKey.put(key, entry);
        if (ahead) {
            group(entry).addFirst(entry, true);
            group(entry).ahead.add(key);
        } else {
            group(entry).addLast(entry, false);
        }
        return absorbed;
    }

    /**
     * Puts selectors whose request failed back, to be sent again not before {@code notBeforeNanos}.
     * When due they merge with whatever is pending and go out ahead of fresh selectors.
     */
    public void requeue(List<PendingSelector<W>> entries, long notBeforeNanos) {
        for (PendingSelector<W> entry : entries) {
            delayed.add(new Delayed<>(notBeforeNanos, entry));
        }
    }

    /**
     * The group whose request is due first at {@code nowNanos}: a group that is full, has a retried
     * selector, or whose oldest selector has waited the linger (and, while {@link #holdPartial}
     * holds partly full groups, the hold's end or the max linger, whichever comes first). With
     * {@code force}, any non-empty group is due (used to flush on shutdown). Nothing is taken: a
     * caller that must first wait for a rate limit leaves the selectors here to keep coalescing.
     *
     * @return what is due, or {@code null} when nothing is
     */
    public Due peekDue(long nowNanos, boolean force) {
        promoteDue(nowNanos);
        Group<W> best = null;
        long bestDue = Long.MAX_VALUE;
        for (EnumMap<PurgeMode, Group<W>> byMode : groups.values()) {
            for (Group<W> g : byMode.values()) {
                if (!g.ahead.isEmpty()) {
                    return new Due(g.kind, g.mode, g.countFitting(limits), false);
                }
            }
        }
        for (EnumMap<PurgeMode, Group<W>> byMode : groups.values()) {
            for (Group<W> g : byMode.values()) {
                long due = dueNanos(g);
                if (!g.isEmpty() && (force || due <= nowNanos) && due < bestDue) {
                    best = g;
                    bestDue = due;
                }
            }
        }
        if (best == null) {
            return null;
        }
        boolean partial =
                !force
                        && bestDue != Long.MIN_VALUE
                        && nowNanos - best.first().firstSeenNanos() < maxLingerNanos;
        return new Due(best.kind, best.mode, best.countFitting(limits), partial);
    }

    /**
     * Holds partly full groups until {@code untilNanos}: the rate limiter has no token to spare for
     * a request that is not full, so they keep filling instead. Full, retried and priority groups
     * are not held, and no group past its max linger is.
     */
    public void holdPartial(long untilNanos) {
        partialHeldUntilNanos = untilNanos;
    }

    private long dueNanos(Group<W> g) {
        long due = g.dueNanos(limits, lingerNanos);
        if (due == Long.MIN_VALUE || due == Long.MAX_VALUE || partialHeldUntilNanos <= due) {
            return due;
        }
        return Math.max(
                due, Math.min(partialHeldUntilNanos, g.first().firstSeenNanos() + maxLingerNanos));
    }

    /**
     * Takes up to {@code maxItems} selectors of one kind and mode, oldest (and retried) first,
     * within the request limits.
     */
    public Batch<W> take(SelectorKind kind, PurgeMode mode, int maxItems) {
        Group<W> g = groups.get(kind).get(mode);
        boolean full = g.isFull(limits);
        List<PendingSelector<W>> taken = g.takeFirst(limits, maxItems);
        for (PendingSelector<W> e : taken) {
            byKey.remove(e.key());
        }
        return new Batch<>(kind, mode, taken, full);
    }

    /** {@link #peekDue} then {@link #take} everything that fits one request. */
    public Batch<W> nextBatch(long nowNanos, boolean force) {
        Due due = peekDue(nowNanos, force);
        return due == null ? null : take(due.kind(), due.mode(), due.items());
    }

    /**
     * A request that is due: its kind, mode and how many selectors it would carry now.
     *
     * @param items selectors that fit one request at the time of the peek (at least 1)
     * @param partial due only through the linger, not full, and its oldest selector still within
     *     the max linger: it may be held for more selectors while tokens are scarce
     */
    public record Due(SelectorKind kind, PurgeMode mode, int items, boolean partial) {}

    /**
     * When the next batch becomes due ({@link System#nanoTime()} scale), or {@link Long#MAX_VALUE}
     * when nothing is pending.
     */
    public long nextDueNanos() {
        long next = delayed.isEmpty() ? Long.MAX_VALUE : delayed.peek().notBeforeNanos;
        for (EnumMap<PurgeMode, Group<W>> byMode : groups.values()) {
            for (Group<W> g : byMode.values()) {
                if (!g.isEmpty()) {
                    next = Math.min(next, dueNanos(g));
                }
            }
        }
        return next;
    }

    /**
     * Removes every contribution that {@code settled} says nobody waits for any more (its event
     * passed a deadline), and every selector left without a contribution, so that they neither go
     * out nor hold the pending bound.
     *
     * @return how many selectors were removed
     */
    public int dropSettled(Predicate<W> settled) {
        int before = pendingSelectors();
        for (EnumMap<PurgeMode, Group<W>> byMode : groups.values()) {
            for (Group<W> g : byMode.values()) {
                Iterator<PendingSelector<W>> it = g.entries.values().iterator();
                while (it.hasNext()) {
                    PendingSelector<W> e = it.next();
                    e.waiters().removeIf(settled);
                    if (e.waiters().isEmpty()) {
                        it.remove();
                        g.onRemoved(e);
                        byKey.remove(e.key());
                    }
                }
            }
        }
        delayed.removeIf(
                d -> {
                    d.entry.waiters().removeIf(settled);
                    return d.entry.waiters().isEmpty();
                });
        return before - pendingSelectors();
    }

    /** Distinct selectors pending, including those waiting to be retried. */
    public int pendingSelectors() {
        return byKey.size() + delayed.size();
    }

    /** Selectors pending in the priority lane: they go out before any other group. */
    public int aheadSelectors() {
        int n = 0;
        for (EnumMap<PurgeMode, Group<W>> byMode : groups.values()) {
            for (Group<W> g : byMode.values()) {
                n += g.ahead.size();
            }
        }
        return n;
    }

    public boolean isEmpty() {
        return byKey.isEmpty() && delayed.isEmpty();
    }

    private void promoteDue(long nowNanos) {
        while (!delayed.isEmpty() && delayed.peek().notBeforeNanos <= nowNanos) {
            reinsert(delayed.poll().entry);
        }
    }

    private void reinsert(PendingSelector<W> entry) {
        PendingSelector<W> coverer = findCoverer(entry.selector(), entry.mode());
        if (coverer != null) {
            coverer.absorb(entry);
            makeUrgent(coverer);
            return;
        }
        PendingSelector<W> existing = byKey.get(entry.key());
        if (existing != null) {
            existing.absorb(entry);
            upgrade(existing, entry.mode());
            makeUrgent(existing);
            return;
        }
        absorbCovered(entry);
        byKey.put(entry.key(), entry);
        group(entry).addFirst(entry, true);
    }

    /** A pending everything or prefix that already covers {@code selector} in {@code mode}. */
    // values() copies its array on every call; this runs for every selector added
    private static final PurgeMode[] MODES = PurgeMode.values();

    private PendingSelector<W> findCoverer(Selector selector, PurgeMode mode) {
        if (selector.kind() == SelectorKind.EVERYTHING) {
            return null;
        }
        for (PurgeMode m : MODES) {
            if (m.covers(mode)) {
                PendingSelector<W> all = groups.get(SelectorKind.EVERYTHING).get(m).first();
                if (all != null) {
                    return all;
                }
            }
        }
        if (selector.kind() == SelectorKind.TAG) {
            return null;
        }
        for (PurgeMode m : MODES) {
            if (!m.covers(mode)) {
                continue;
            }
            for (PendingSelector<W> p : groups.get(SelectorKind.PREFIX).get(m).entries.values()) {
                if (((Selector.Prefix) p.selector()).covers(selector)
                        && !p.key().equals(selector.identity(false))) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Moves into {@code wider} every pending selector it covers; returns how many. */
    private int absorbCovered(PendingSelector<W> wider) {
        if (wider.selector().kind() != SelectorKind.EVERYTHING
                && wider.selector().kind() != SelectorKind.PREFIX) {
            return 0;
        }
        int absorbed = 0;
        for (EnumMap<PurgeMode, Group<W>> byMode : groups.values()) {
            for (Group<W> g : byMode.values()) {
                if (!wider.mode().covers(g.mode)) {
                    continue;
                }
                Iterator<PendingSelector<W>> it = g.entries.values().iterator();
                while (it.hasNext()) {
                    PendingSelector<W> e = it.next();
                    if (covers(wider.selector(), e.selector())) {
                        wider.absorb(e);
                        g.onRemoved(e);
                        it.remove();
                        byKey.remove(e.key());
                        absorbed++;
                    }
                }
            }
        }
        return absorbed;
    }

    private static boolean covers(Selector wider, Selector narrower) {
        return switch (wider) {
            case Selector.Everything all -> true;
            case Selector.Prefix prefix -> prefix.covers(narrower);
            default -> false;
        };
    }

    private void upgrade(PendingSelector<W> entry, PurgeMode mode) {
        if (entry.mode().strongest(mode) == entry.mode()) {
            return;
        }
        Group<W> from = group(entry);
        boolean wasAhead = from.ahead.contains(entry.key());
        from.remove(entry);
        entry.upgradeMode(mode);
        if (wasAhead) {
            group(entry).addFirst(entry, true);
            group(entry).ahead.add(entry.key());
        } else {
            group(entry).addLast(entry, false);
        }
    }

    /** An operator's selector: whatever carries it goes out first, ahead of other groups. */
    private void putAhead(PendingSelector<W> entry) {
        makeUrgent(entry);
        group(entry).ahead.add(entry.key());
    }

    /** A retried selector has waited its linger already: whatever carries it goes out first. */
    private void makeUrgent(PendingSelector<W> entry) {
        Group<W> g = group(entry);
        boolean wasAhead = g.ahead.contains(entry.key());
        g.remove(entry);
        g.addFirst(entry, true);
        if (wasAhead) {
            g.ahead.add(entry.key());
        }
    }

    private Group<W> group(PendingSelector<W> entry) {
        return groups.get(entry.selector().kind()).get(entry.mode());
    }

    private record Delayed<W>(long notBeforeNanos, PendingSelector<W> entry)
            implements Comparable<Delayed<W>> {
        @Override
        public int compareTo(Delayed<W> o) {
            return Long.compare(notBeforeNanos, o.notBeforeNanos);
        }
    }

    /**
     * Pending selectors of one kind and mode, oldest first, except retried ones, which go first and
     * are due at once.
     */
    private static final class Group<W> {
        final SelectorKind kind;
        final PurgeMode mode;
        final LinkedHashMap<SelectorKey, PendingSelector<W>> entries = new LinkedHashMap<>();
        final Map<SelectorKey, Boolean> urgent = new HashMap<>();
        // selectors in the priority lane: the group goes out before any group without one
        final Set<SelectorKey> ahead = new HashSet<>();
        long bytes;

        Group(SelectorKind kind, PurgeMode mode) {
            this.kind = kind;
            this.mode = mode;
        }

        boolean isEmpty() {
            return entries.isEmpty();
        }

        PendingSelector<W> first() {
            return entries.isEmpty() ? null : entries.firstEntry().getValue();
        }

        void addLast(PendingSelector<W> e, boolean isUrgent) {
            entries.putLast(e.key(), e);
            added(e, isUrgent);
        }

        void addFirst(PendingSelector<W> e, boolean isUrgent) {
            entries.putFirst(e.key(), e);
            added(e, isUrgent);
        }

        private void added(PendingSelector<W> e, boolean isUrgent) {
            bytes += RequestLimits.bodyBytes(e.selector());
            if (isUrgent) {
                urgent.put(e.key(), Boolean.TRUE);
            }
        }

        void remove(PendingSelector<W> e) {
            entries.remove(e.key());
            onRemoved(e);
        }

        void onRemoved(PendingSelector<W> e) {
            bytes -= RequestLimits.bodyBytes(e.selector());
            urgent.remove(e.key());
            ahead.remove(e.key());
        }

        boolean isFull(RequestLimits limits) {
            return entries.size() >= limits.maxItems(kind) || bytes >= limits.maxBytes();
        }

        long dueNanos(RequestLimits limits, long lingerNanos) {
            if (entries.isEmpty()) {
                return Long.MAX_VALUE;
            }
            if (!urgent.isEmpty() || isFull(limits)) {
                return Long.MIN_VALUE;
            }
            return first().firstSeenNanos() + lingerNanos;
        }

        /** How many selectors from the head fit one request. */
        int countFitting(RequestLimits limits) {
            int max = limits.maxItems(kind);
            int count = 0;
            int size = 0;
            for (PendingSelector<W> e : entries.values()) {
                int b = RequestLimits.bodyBytes(e.selector());
                if (count >= max || (count > 0 && size + b > limits.maxBytes())) {
                    break;
                }
                size += b;
                count++;
            }
            return count;
        }

        /** Takes from the head as many as fit one request, and at most {@code atMost}. */
        List<PendingSelector<W>> takeFirst(RequestLimits limits, int atMost) {
            int max = Math.min(limits.maxItems(kind), Math.max(1, atMost));
            List<PendingSelector<W>> taken = new ArrayList<>(Math.min(max, entries.size()));
            int size = 0;
            Iterator<PendingSelector<W>> it = entries.values().iterator();
            while (it.hasNext() && taken.size() < max) {
                PendingSelector<W> e = it.next();
                int b = RequestLimits.bodyBytes(e.selector());
                if (!taken.isEmpty() && size + b > limits.maxBytes()) {
                    break;
                }
                size += b;
                taken.add(e);
                it.remove();
                onRemoved(e);
            }
            return taken;
        }
    }
}
