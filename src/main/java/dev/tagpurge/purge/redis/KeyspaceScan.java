package dev.tagpurge.purge.redis;

import dev.tagpurge.purge.AffectedKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Walks the keys matching a pattern with SCAN, never KEYS: each step is small, so Redis keeps
 * serving other clients while a large namespace is purged.
 */
final class KeyspaceScan {

    /** SCAN's COUNT hint; also roughly the keys one UNLINK carries. */
    static final int COUNT = 1000;

    private final Redis redis;

    KeyspaceScan(Redis redis) {
        this.redis = redis;
    }

    /** UNLINKs every key matching {@code pattern}; returns how many existed. */
    Uni<Long> unlinkMatching(String pattern) {
        return forEachPage(pattern, Optional.empty(), this::unlink);
    }

    /**
     * Applies {@code action} to each non-empty page of keys matching {@code pattern} (and of {@code
     * type}, if given), one page at a time, and sums what it returns.
     */
    Uni<Long> forEachPage(
            String pattern, Optional<String> type, Function<List<String>, Uni<Long>> action) {
        return step("0", pattern, type, action, 0L);
    }

    private Uni<Long> step(
            String cursor,
            String pattern,
            Optional<String> type,
            Function<List<String>, Uni<Long>> action,
            long sum) {
        Request scan =
                Request.cmd(Command.SCAN)
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(pattern)
                        .arg("COUNT")
                        .arg(COUNT);
        type.ifPresent(t -> scan.arg("TYPE").arg(t));
        return redis.send(scan)
                .chain(
                        page -> {
                            String next = page.get(0).toString();
                            List<String> keys = new ArrayList<>();
                            page.get(1).forEach(key -> keys.add(key.toString()));
                            Uni<Long> done =
                                    keys.isEmpty() ? Uni.createFrom().item(0L) : action.apply(keys);
                            return done.chain(
                                    n ->
                                            "0".equals(next)
                                                    ? Uni.createFrom().item(sum + n)
                                                    : step(next, pattern, type, action, sum + n));
                        });
    }

    /**
     * Counts the keys matching {@code pattern} without touching them: exactly when the scan ends
     * within {@code maxPages} pages, else an estimate from the share of the keyspace scanned
     * (matches per {@value #COUNT} keys scanned, times DBSIZE).
     */
    Uni<AffectedKeys> countMatching(String pattern, int maxPages) {
        return count("0", pattern, maxPages, 0, 0L);
    }

    private Uni<AffectedKeys> count(
            String cursor, String pattern, int pagesLeft, int pages, long matched) {
        Request scan =
                Request.cmd(Command.SCAN)
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(pattern)
                        .arg("COUNT")
                        .arg(COUNT);
        return redis.send(scan)
                .chain(
                        page -> {
                            String next = page.get(0).toString();
                            long total = matched + page.get(1).size();
                            if ("0".equals(next)) {
                                return Uni.createFrom()
                                        .item(new AffectedKeys(total, true, "SCAN (complete)"));
                            }
                            if (pagesLeft <= 1) {
                                return redis.send(Request.cmd(Command.DBSIZE))
                                        .map(
                                                size ->
                                                        estimate(
                                                                total,
                                                                (long) (pages + 1) * COUNT,
                                                                size.toLong()));
                            }
                            return count(next, pattern, pagesLeft - 1, pages + 1, total);
                        });
    }

    static AffectedKeys estimate(long matched, long scanned, long dbSize) {
        double share = Math.min(1.0, (double) scanned / Math.max(dbSize, 1));
        long keys = Math.max(matched, Math.round(matched / share));
        return new AffectedKeys(
                keys,
                false,
                "sampled SCAN: "
                        + matched
                        + " matches in about "
                        + scanned
                        + " of "
                        + dbSize
                        + " keys");
    }

    private Uni<Long> unlink(List<String> keys) {
        Request unlink = Request.cmd(Command.UNLINK);
        keys.forEach(unlink::arg);
        return redis.send(unlink).map(reply -> reply.toLong());
    }
}
