package dev.tagpurge.purge;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reading HTTP providers' answers, the same for every HTTP adapter: JSON bodies that may be
 * anything, {@code Retry-After} in seconds or as an HTTP date, numeric headers, bounded details.
 */
public final class ProviderAnswers {

    /** Longest error detail kept in a result (completion events and logs stay readable). */
    public static final int MAX_DETAIL = 300;

    private ProviderAnswers() {}

    /** The body as a JSON object, or empty when it is blank or not an object. */
    public static Optional<JsonObject> jsonObject(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new JsonObject(body));
        } catch (DecodeException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * A {@code Retry-After} value (delta seconds or an RFC 1123 date) as a wait from {@code now}.
     */
    public static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.strip();
        Optional<Long> seconds = parseLong(v);
        if (seconds.isPresent()) {
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds.get())));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(nonNegative(Duration.between(now, at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
     * The result of a request that got no answer: always retryable, as {@code timeout} or {@code
     * connection}.
     */
    public static PurgeResult transportFailure(String provider, Throwable failure) {
        String detail =
                truncate(
                        provider
                                + " request failed: "
                                + failure.getClass().getSimpleName()
                                + (failure.getMessage() == null
                                        ? ""
                                        : ": " + failure.getMessage()));
        boolean timeout =
                failure instanceof java.util.concurrent.TimeoutException
                        || failure.getClass().getSimpleName().contains("Timeout");
        return PurgeResult.retryable(timeout ? "timeout" : "connection", detail);
    }

    /** {@code s} cut to {@link #MAX_DETAIL} characters. */
    public static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
