package dev.tagpurge.purge.redis;

import dev.tagpurge.purge.PurgeResult;
import io.vertx.redis.client.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps what the Vert.x Redis client failed with to a {@link PurgeResult}. */
final class RedisFailure {

    /** A failed pipeline reports the failed command's reply as {@code ERR [<index>] <reply>}. */
    private static final Pattern BATCH_ERROR =
            Pattern.compile("^ERR \\[\\d+\\] (.*)$", Pattern.DOTALL);

    private RedisFailure() {}

    /**
     * An error reply is a {@link io.vertx.redis.client.Response} (the client's {@code ErrorType});
     * anything else failed on the way: no connection, connection lost, pool or queue exhausted.
     */
    static PurgeResult toResult(Throwable failure) {
        if (failure instanceof Response) {
            String reply = reply(failure);
            if (reply.startsWith("WRONGTYPE")) {
                // A key under <ns>tag: that is not a set: retrying cannot change that.
                return PurgeResult.permanent("wrong-type", "redis replied: " + reply);
            }
            return PurgeResult.retryable("server-error", "redis replied: " + reply);
        }
        String message = failure.getMessage();
        return PurgeResult.retryable(
                "connection",
                "redis unreachable: "
                        + (message == null ? failure.getClass().getSimpleName() : message));
    }

    /**
     * Whether Redis does not know the script (restart, failover, SCRIPT FLUSH): EVAL it instead.
     */
    static boolean isNoScript(Throwable failure) {
        return failure instanceof Response && reply(failure).startsWith("NOSCRIPT");
    }

    /** The error reply as Redis sent it, without the client's pipeline wrapping. */
    private static String reply(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        Matcher batch = BATCH_ERROR.matcher(message);
        return batch.matches() ? batch.group(1) : message;
    }
}
