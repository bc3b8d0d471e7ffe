package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Decides the emulated Cloudflare API's answer to a parsed request: credentials, zone id, body
 * shape, per-request limits of the plan, then the plan's token buckets. Every answer is
 * Cloudflare's envelope {@code {"success","errors","messages","result"}}.
 *
 * <p>Error codes 1092, 1134, 9109/10000 are Cloudflare's as its documentation lists them, 1014,
 * 7000 and 7003 as Cloudflare sends them; {@value #INVALID_REQUEST} for other malformed bodies is
 * the emulator's own choice.
 */
final class CloudflareResponder {

    static final int MIXED_SELECTORS = 1092;
    static final int RATE_LIMITED = 1134;
    static final int NOT_AN_ARRAY = 1014;
    static final int INVALID_REQUEST = 1012;
    static final int AUTHENTICATION = 10000;
    static final int NO_ROUTE = 7000;
    static final int BAD_IDENTIFIER = 7003;
    static final int MAX_TAG_CHARS = 1024;
    static final String AUTH_MESSAGE = "Authentication error";
    static final String RATE_LIMIT_MESSAGE = "Unable to purge, rate limit reached";

    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-fA-F]{32}");

    /** The two buckets of one account. */
    private record Account(CloudflareTokenBucket requests, CloudflareTokenBucket urls) {}

    private final CloudflareEmulatorSettings settings;
    private final Clock clock;
    // Cloudflare's buckets are per account; a token stands for an account here.
    private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();

    CloudflareResponder(CloudflareEmulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The answer to a request that no fault intercepted. */
    HttpReply answer(CloudflareInbound in) {
        if (!authorized(in)) {
            return error(403, AUTHENTICATION, AUTH_MESSAGE);
        }
        if (!ZONE_ID.matcher(in.zone()).matches()) {
            return error(
                    400,
                    BAD_IDENTIFIER,
                    "Could not route to /zones/"
                            + in.zone()
                            + "/"
                            + (in.soft() ? "invalidate_cache" : "purge_cache")
                            + ", perhaps your object identifier is invalid?");
        }
        if (in.error().isPresent()) {
            return error(400, in.error().get().code(), in.error().get().message());
        }
        Optional<String> invalid = invalidItems(in.action(), in.items());
        if (invalid.isPresent()) {
            return error(400, INVALID_REQUEST, invalid.get());
        }
        return limited(in);
    }

    /** The answer to a request failed by an injected fault. */
    static HttpReply fault(int status) {
        String message = "sandbox injected fault (HTTP " + status + ")";
        if (status == 429) {
            // A throttling fault carries what a real 429 would, so clients can honour it.
            return error(429, RATE_LIMITED, message).withHeaders(Map.of("Retry-After", "1"));
        }
        return error(status, status, message);
    }

    /** Cloudflare's error envelope with one error. */
    static HttpReply error(int status, int code, String message) {
        JsonObject body =
                new JsonObject()
                        .put("success", false)
                        .put(
                                "errors",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("code", code)
                                                        .put("message", message)))
                        .put("messages", new JsonArray())
                        .putNull("result");
        return HttpReply.json(status, body);
    }

    /** Forgets every bucket. */
    void reset() {
        accounts.clear();
    }

    private boolean authorized(CloudflareInbound in) {
        String token = in.token().orElse("");
        Set<String> accepted = settings.acceptedTokens();
        return !token.isEmpty() && (accepted.isEmpty() || accepted.contains(token));
    }

    private Optional<String> invalidItems(String action, List<String> items) {
        CloudflareEmulatorSettings.Plan plan = settings.plan();
        int max =
                action.equals(CloudflareInbound.FILES)
                        ? plan.urlsPerRequest()
                        : plan.itemsPerRequest();
        if (items.size() > max) {
            return Optional.of(
                    "Too many "
                            + action
                            + " in one request: "
                            + items.size()
                            + ", the "
                            + plan.name().toLowerCase(Locale.ROOT)
                            + " plan allows "
                            + max);
        }
        return items.stream()
                .map(item -> invalidItem(action, item))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<String> invalidItem(String action, String item) {
        return switch (action) {
            case CloudflareInbound.TAGS ->
                    item.length() > MAX_TAG_CHARS
                            ? Optional.of("Tags must be at most " + MAX_TAG_CHARS + " characters")
                            : printable(item, "Tags must be printable ASCII without spaces");
            case CloudflareInbound.FILES ->
                    item.matches("(?i)https?://[^/\\s]+(/\\S*)?")
                            ? Optional.empty()
                            : Optional.of("files must be absolute http(s) URLs: " + item);
            case CloudflareInbound.PREFIXES -> invalidPrefix(item);
            case CloudflareInbound.HOSTS ->
                    item.isEmpty() || item.contains("/") || item.contains(":")
                            ? Optional.of("hosts must be host names without scheme or path")
                            : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<String> invalidPrefix(String prefix) {
        if (prefix.contains("://")) {
            return Optional.of("prefixes must not include a scheme: " + prefix);
        }
        if (prefix.contains("?")) {
            return Optional.of("prefixes must not include a query string: " + prefix);
        }
        if (prefix.isEmpty() || prefix.startsWith("/")) {
            return Optional.of("prefixes must start with a host name: " + prefix);
        }
        return printable(prefix, "prefixes must not contain spaces");
    }

    private static Optional<String> printable(String value, String message) {
        return value.isEmpty() || value.chars().anyMatch(c -> c < 33 || c > 126)
                ? Optional.of(message)
                : Optional.empty();
    }

    private HttpReply limited(CloudflareInbound in) {
        Account account =
                accounts.computeIfAbsent(
                        in.token().orElseThrow(),
                        t ->
                                new Account(
                                        new CloudflareTokenBucket(settings.requestBucket(), clock),
                                        new CloudflareTokenBucket(settings.urlBucket(), clock)));
        boolean files = in.action().equals(CloudflareInbound.FILES);
        CloudflareTokenBucket.Outcome outcome =
                files ? account.urls().tryTake(in.items().size()) : account.requests().tryTake(1);
        Map<String, String> headers =
                Map.of(
                        "x-ratelimit-limit", Integer.toString(outcome.limit()),
                        "x-ratelimit-remaining", Long.toString(outcome.remaining()));
        if (!outcome.allowed()) {
            Map<String, String> throttled = new HashMap<>(headers);
            throttled.put("Retry-After", Long.toString(outcome.retryAfter().toSeconds()));
            return error(429, RATE_LIMITED, RATE_LIMIT_MESSAGE).withHeaders(throttled);
        }
        JsonObject body =
                new JsonObject()
                        .put("success", true)
                        .put("errors", new JsonArray())
                        .put("messages", new JsonArray())
                        .put("result", new JsonObject().put("id", purgeId()));
        return HttpReply.json(200, body).withHeaders(headers);
    }

    // Shaped like Cloudflare's ids: 32 hex characters.
    private static String purgeId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
