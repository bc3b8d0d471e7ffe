package dev.tagpurge.purge.redis;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tag purge for Redis Cluster, where a set's members usually hash to other slots than the set, so
 * neither a Lua script nor a multi-key UNLINK may touch them together. Per set: SSCAN a chunk,
 * UNLINK each member on its own (the connection routes each to its slot's master), then SREM the
 * chunk. Members leave the set only after their keys are gone, so a crash leaves them for the
 * retry.
 *
 * <p>One purge runs on one connection ({@link Redis#connect()}: in cluster mode one pooled
 * connection to each master), its commands pipelined on it. Sending each UNLINK through {@link
 * Redis#send} would take a connection to every master from the pool per command, and a few
 * concurrent purges would queue on the pool (6 connections, 24 waiters by default) until requests
 * time out or fail with "Connection pool reached max wait queue size".
 */
final class ClusterTagIndexPurge implements TagIndexPurge {

    /** Single-key UNLINKs in flight at once on the purge's connection. */
    static final int UNLINK_CONCURRENCY = 64;

    private final Redis redis;

    ClusterTagIndexPurge(Redis redis) {
        this.redis = redis;
    }

    @Override
    public Uni<Long> purge(List<String> setKeys) {
        return redis.connect()
                .chain(
                        connection ->
                                Multi.createFrom()
                                        .iterable(setKeys)
                                        .onItem()
                                        .transformToUniAndConcatenate(
                                                key -> scanFrom(connection, key, "0", 0L))
                                        .collect()
                                        .with(Collectors.summingLong(Long::longValue))
                                        // also when the pipeline's request timeout cancels it
                                        .onTermination()
                                        .call(
                                                (unlinked, failure, cancelled) ->
                                                        connection.close()));
    }

    private static Uni<Long> scanFrom(
            RedisConnection connection, String setKey, String cursor, long unlinkedSoFar) {
        Request sscan = Request.cmd(Command.SSCAN).arg(setKey).arg(cursor).arg("COUNT").arg(CHUNK);
        return connection
                .send(sscan)
                .chain(
                        page -> {
                            String next = page.get(0).toString();
                            List<String> members = new ArrayList<>();
                            page.get(1).forEach(member -> members.add(member.toString()));
                            return purgeMembers(connection, setKey, members)
                                    .chain(
                                            unlinked ->
                                                    "0".equals(next)
                                                            ? Uni.createFrom()
                                                                    .item(unlinkedSoFar + unlinked)
                                                            : scanFrom(
                                                                    connection,
                                                                    setKey,
                                                                    next,
                                                                    unlinkedSoFar + unlinked));
                        });
    }

    private static Uni<Long> purgeMembers(
            RedisConnection connection, String setKey, List<String> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        Request srem = Request.cmd(Command.SREM).arg(setKey);
        members.forEach(srem::arg);
        return Multi.createFrom()
                .iterable(members)
                .onItem()
                .transformToUni(member -> connection.send(Request.cmd(Command.UNLINK).arg(member)))
                .merge(UNLINK_CONCURRENCY)
                .collect()
                .with(Collectors.summingLong(Response::toLong))
                .call(() -> connection.send(srem));
    }
}
