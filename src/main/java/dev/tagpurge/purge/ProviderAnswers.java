package dev.tagpurge.purge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * Reading HTTP providers' answers, the same for every HTTP adapter: JSON bodies that may be
 * anything, {@code Retry-After} in seconds or as an HTTP date, numeric headers, bounded details.
 */
public final class ProviderAnswers {

    /** Longest error detail kept in a result (completion events and logs stay readable). */
    public static final int MAX_DETAIL = 300;

    private ProviderAnswers() {}

    /**
     * Reads answers as maps. Field names are not canonicalized: a bulk answer's names are the
     * purged keys themselves (Fastly maps each surrogate key to its purge id), data rather than a
     * schema, so the parser's symbol table would only grow and be rebuilt with every answer.
     */
    private static final ObjectReader ANSWER_READER =
            JsonMapper.builder(
                            JsonFactory.builder()
                                    .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                                    .build())
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build()
                    .readerFor(new TypeReference<Map<String, Object>>() {});

    /** The body as a JSON object, or empty when it is blank, malformed or not an object. */
    public static Optional<JsonObject> jsonObject(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> fields = ANSWER_READER.readValue(body);
            return fields == null ? Optional.empty() : Optional.of(new JsonObject(fields));
        } catch (IOException notAnObject) {
            return Optional.empty();
        }
    }

    /**
     * Longest wait any provider header can ask for, whatever the configured maximum: far beyond any
     * sane Retry-After, and small enough that {@link Duration#toNanos()} and adding it to {@link
     * System#nanoTime()} can never overflow.
     */
    public static final Duration WAIT_CEILING = Duration.ofDays(1);

    /**
     * A {@code Retry-After} value (delta seconds or an RFC 1123 date) as a wait from {@code now},
     * between zero and {@link #WAIT_CEILING}; empty when it is neither form.
     */
    public static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.strip();
        Optional<Long> seconds = parseLong(v);
        if (seconds.isPresent()) {
            return Optional.of(bounded(seconds.get(), 1_000L));
        }
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // delay-seconds is any run of digits: one too long for a long is a very long wait
            return Optional.of(WAIT_CEILING);
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(untilEpochMilli(at.toEpochMilli(), now));
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The wait until a reset time given in epoch seconds, bounded like {@link #retryAfter}. */
    public static Duration untilEpochSecond(long epochSecond, Instant now) {
        if (epochSecond > now.getEpochSecond() + WAIT_CEILING.toSeconds()) {
            return WAIT_CEILING;
        }
        return untilEpochMilli(epochSecond * 1_000L, now);
    }

    /**
     * The wait until a reset time given in epoch milliseconds, bounded like {@link #retryAfter}.
     */
    public static Duration untilEpochMilli(long epochMilli, Instant now) {
        // subtraction in longs of millis: both sides are far from overflow once bounded
        long nowMilli = now.toEpochMilli();
        if (epochMilli <= nowMilli) {
            return Duration.ZERO;
        }
        long delta = epochMilli - nowMilli;
        return delta < 0 ? WAIT_CEILING : bounded(delta, 1L);
    }

    /**
     * {@code d} within [0, {@code max}] (and never above {@link #WAIT_CEILING}): the wait a
     * provider's hint may impose on a target.
     */
    public static Duration clamp(Duration d, Duration max) {
        Duration ceiling = max.compareTo(WAIT_CEILING) < 0 ? max : WAIT_CEILING;
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(ceiling) > 0 ? ceiling : d;
    }

    /** {@code result} with its Retry-After hint clamped to {@code max}; other results unchanged. */
    public static PurgeResult clampRetryAfter(PurgeResult result, Duration max) {
        if (result instanceof PurgeResult.Retryable r && r.retryAfter().isPresent()) {
            Duration clamped = clamp(r.retryAfter().get(), max);
            if (!clamped.equals(r.retryAfter().get())) {
                return new PurgeResult.Retryable(
                        r.reason(), r.detail(), Optional.of(clamped), r.throttled(), r.remaining());
            }
        }
        return result;
    }

    // amount × unitMillis as a Duration in [0, WAIT_CEILING], without overflowing on the way
    private static Duration bounded(long amount, long unitMillis) {
        if (amount <= 0) {
            return Duration.ZERO;
        }
        long ceilingUnits = WAIT_CEILING.toMillis() / unitMillis;
        return amount >= ceilingUnits ? WAIT_CEILING : Duration.ofMillis(amount * unitMillis);
    }

    /** A whole number, or empty. */
    public static Optional<Long> parseLong(String value) {
        try {
            return Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * The result of an answer that no rule of the provider's own decided (a 2xx is the provider's
     * to read): 429 throttled, with the provider's wait and its count of calls left; 5xx retryable
     * ({@code server-error}); 401 and 403 permanent ({@code auth}); other 4xx permanent ({@code
     * bad-request}); anything else permanent ({@code unexpected-status}).
     *
     * @param detail what the provider said, already bounded (see {@link #truncate})
     */
    public static PurgeResult byStatus(
            int status, String detail, Optional<Duration> retryAfter, OptionalLong remaining) {
        if (status == 429) {
            return new PurgeResult.Retryable("throttled", detail, retryAfter, true, remaining);
        }
        if (status >= 500) {
            return PurgeResult.retryable("server-error", detail);
        }
        if (status == 401 || status == 403) {
            return PurgeResult.permanent("auth", detail);
        }
        return status >= 400
                ? PurgeResult.permanent("bad-request", detail)
                : PurgeResult.permanent("unexpected-status", detail);
    }

    /**
     * A provider's count of calls left in its window ({@code Fastly-RateLimit-Remaining}, {@code
     * x-ratelimit-remaining}), or empty when the header is absent or not a whole number.
     */
    public static OptionalLong remaining(Optional<String> header) {
        return header.flatMap(ProviderAnswers::parseLong)
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }

    /**
     * The wait a {@code Retry-After} header asks for (seconds or an HTTP date), else the wait the
     * provider's reset header gives ({@code resetWait} applied to its whole number), else empty.
     */
    public static Optional<Duration> retryAfterOrReset(
            Optional<String> retryAfter,
            Optional<String> reset,
            Instant now,
            LongFunction<Duration> resetWait) {
        Optional<Duration> header = retryAfter.flatMap(value -> retryAfter(value, now));
        if (header.isPresent()) {
            return header;
        }
        return reset.flatMap(ProviderAnswers::parseLong).map(resetWait::apply);
    }

    /**
     * The result of a request that got no answer: always retryable, as {@code timeout}, {@code
     * pool-full} (not sent: every pooled connection busy and the wait queue full) or {@code
     * connection}.
     */
    public static PurgeResult transportFailure(String provider, Throwable failure) {
        if (failure instanceof ConnectionPoolTooBusyException) {
            // the pool and its wait queue were full: nothing was sent
            return PurgeResult.retryable(
                    "pool-full", truncate(provider + " request not sent: " + failure.getMessage()));
        }
        String detail =
                truncate(
                        provider
                                + " request failed: "
                                + failure.getClass().getSimpleName()
                                + (failure.getMessage() == null
                                        ? ""
                                        : ": " + failure.getMessage()));
        boolean timeout =
                failure instanceof TimeoutException
                        || failure.getClass().getSimpleName().contains("Timeout");
        return PurgeResult.retryable(timeout ? "timeout" : "connection", detail);
    }

    /** {@code s} cut to {@link #MAX_DETAIL} characters. */
    public static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
