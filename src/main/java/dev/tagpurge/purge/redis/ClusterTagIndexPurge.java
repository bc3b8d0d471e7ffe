package dev.tagpurge.purge.redis;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tag purge for Redis Cluster, where a set's members usually hash to other slots than the set, so
 * neither a Lua script nor a multi-key UNLINK may touch them together. Per set: SSCAN a chunk,
 * UNLINK each member on its own (the client routes each to its slot), then SREM the chunk. Members
 * leave the set only after their keys are gone, so a crash leaves them for the retry.
 */
final class ClusterTagIndexPurge implements TagIndexPurge {

    /**
     * Single-key UNLINKs in flight at once. Each takes a pooled connection; Quarkus's default pool
     * (6 connections, 24 waiters) must not overflow.
     */
    static final int UNLINK_CONCURRENCY = 8;

    private final Redis redis;

    ClusterTagIndexPurge(Redis redis) {
        this.redis = redis;
    }

    @Override
    public Uni<Long> purge(List<String> setKeys) {
        return Multi.createFrom()
                .iterable(setKeys)
                .onItem()
                .transformToUniAndConcatenate(key -> scanFrom(key, "0", 0L))
                .collect()
                .with(Collectors.summingLong(Long::longValue));
    }

    private Uni<Long> scanFrom(String setKey, String cursor, long unlinkedSoFar) {
        Request sscan = Request.cmd(Command.SSCAN).arg(setKey).arg(cursor).arg("COUNT").arg(CHUNK);
        return redis.send(sscan)
                .chain(
                        page -> {
                            String next = page.get(0).toString();
                            List<String> members = new ArrayList<>();
                            page.get(1).forEach(member -> members.add(member.toString()));
                            return purgeMembers(setKey, members)
                                    .chain(
                                            unlinked ->
                                                    "0".equals(next)
                                                            ? Uni.createFrom()
                                                                    .item(unlinkedSoFar + unlinked)
                                                            : scanFrom(
                                                                    setKey,
                                                                    next,
                                                                    unlinkedSoFar + unlinked));
                        });
    }

    private Uni<Long> purgeMembers(String setKey, List<String> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        Request srem = Request.cmd(Command.SREM).arg(setKey);
        members.forEach(srem::arg);
        return Multi.createFrom()
                .iterable(members)
                .onItem()
                .transformToUni(member -> redis.send(Request.cmd(Command.UNLINK).arg(member)))
                .merge(UNLINK_CONCURRENCY)
                .collect()
                .with(Collectors.summingLong(Response::toLong))
                .call(() -> redis.send(srem));
    }
}
