package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates a Fast Purge body the way Akamai documents it: {@code {"objects":[…]}}, one object type
 * per request, and one bad object fails the whole request. URL purges may name a {@code hostname}
 * for path objects, as CCU v3 allows.
 */
final class AkamaiObjectsCheck {

    /** Akamai's documented limit on one cache tag. */
    static final int MAX_TAG_CHARS = 128;

    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,17}");

    private AkamaiObjectsCheck() {}

    /** Why the body is a bad request, or empty when it is well formed. */
    static Optional<String> problem(String objectType, Optional<JsonObject> json) {
        if (json.isEmpty()) {
            return Optional.of("The request body is not a JSON object");
        }
        if (!(json.get().getValue("objects") instanceof JsonArray objects) || objects.isEmpty()) {
            return Optional.of("objects must be a non-empty array");
        }
        Object hostname = json.get().getValue("hostname");
        if (hostname != null && !(hostname instanceof String)) {
            return Optional.of("hostname must be a string");
        }
        for (Object object : objects) {
            Optional<String> problem =
                    switch (objectType) {
                        case AkamaiInbound.TAG -> tagProblem(object);
                        case AkamaiInbound.URL -> urlProblem(object, hostname != null);
                        default -> cpCodeProblem(object);
                    };
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> tagProblem(Object object) {
        if (!(object instanceof String tag) || tag.isEmpty()) {
            return Optional.of("Cache tags must be non-empty strings");
        }
        if (tag.codePointCount(0, tag.length()) > MAX_TAG_CHARS) {
            return Optional.of(
                    "Cache tag exceeds " + MAX_TAG_CHARS + " characters: " + shorten(tag));
        }
        return Optional.empty();
    }

    private static Optional<String> urlProblem(Object object, boolean hostname) {
        if (!(object instanceof String url) || url.isEmpty()) {
            return Optional.of("URLs must be non-empty strings");
        }
        boolean absolute = url.startsWith("http://") || url.startsWith("https://");
        boolean path = hostname && url.startsWith("/");
        if (!absolute && !path) {
            return Optional.of(
                    "Invalid URL (an absolute http(s) URL is required): " + shorten(url));
        }
        if (url.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            return Optional.of("Invalid URL (whitespace or control characters): " + shorten(url));
        }
        return Optional.empty();
    }

    private static Optional<String> cpCodeProblem(Object object) {
        boolean valid =
                object instanceof Integer i && i > 0
                        || object instanceof Long l && l > 0
                        || object instanceof String s && DIGITS.matcher(s).matches();
        return valid
                ? Optional.empty()
                : Optional.of("CP codes must be positive integers, got " + object);
    }

    // Problem details quote the bad object, but never a whole 50 kB of it.
    private static String shorten(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }
}
