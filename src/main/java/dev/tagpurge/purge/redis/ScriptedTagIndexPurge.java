package dev.tagpurge.purge.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Tag purge for standalone and Sentinel Redis: a Lua script pops one chunk of a set's members and
 * unlinks them in one atomic step, so no member is ever removed from its set without its key being
 * deleted. The first chunk of every tag in a batch goes out in one pipeline; later rounds carry
 * only the tags whose last chunk was full. Not for Redis Cluster: the members may live in other
 * slots than the set.
 */
final class ScriptedTagIndexPurge implements TagIndexPurge {

    /** Returns {popped, unlinked}; a full chunk (popped == ARGV[1]) means there may be more. */
    static final String SCRIPT =
            """
            local members = redis.call('SPOP', KEYS[1], ARGV[1])
            local unlinked = 0
            if #members > 0 then
              unlinked = redis.call('UNLINK', unpack(members))
            end
            return {#members, unlinked}
            """;

    static final String SCRIPT_SHA = sha1(SCRIPT);

    private final Redis redis;

    ScriptedTagIndexPurge(Redis redis) {
        this.redis = redis;
    }

    @Override
    public Uni<Long> purge(List<String> setKeys) {
        return round(setKeys, 0L);
    }

    private Uni<Long> round(List<String> setKeys, long unlinkedSoFar) {
        if (setKeys.isEmpty()) {
            return Uni.createFrom().item(unlinkedSoFar);
        }
        return popChunks(setKeys)
                .chain(
                        replies -> {
                            List<String> notDone = new ArrayList<>();
                            long unlinked = unlinkedSoFar;
                            for (int i = 0; i < replies.size(); i++) {
                                Response reply = replies.get(i);
                                unlinked += reply.get(1).toLong();
                                if (reply.get(0).toLong() >= CHUNK) {
                                    notDone.add(setKeys.get(i));
                                }
                            }
                            return round(notDone, unlinked);
                        });
    }

    /**
     * EVALSHA for all sets in one pipeline; after a restart or SCRIPT FLUSH, EVAL loads it again.
     */
    private Uni<List<Response>> popChunks(List<String> setKeys) {
        return redis.batch(requests(setKeys, Command.EVALSHA, SCRIPT_SHA))
                .onFailure(RedisFailure::isNoScript)
                .recoverWithUni(() -> redis.batch(requests(setKeys, Command.EVAL, SCRIPT)));
    }

    private static List<Request> requests(List<String> setKeys, Command command, String script) {
        return setKeys.stream()
                .map(key -> Request.cmd(command).arg(script).arg(1).arg(key).arg(CHUNK))
                .toList();
    }

    private static String sha1(String script) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-1")
                            .digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }
}
