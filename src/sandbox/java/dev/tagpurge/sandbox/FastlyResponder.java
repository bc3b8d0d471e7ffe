package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides the emulated Fastly API's answer to a parsed request, in Fastly's order: credentials,
 * request shape, rate limit. Messages are Fastly's where its documentation quotes them.
 */
final class FastlyResponder {

    static final int MAX_BULK_KEYS = 256;
    static final int MAX_KEY_BYTES = 1024;
    static final String AUTH_MESSAGE = "Provided credentials are missing or invalid";
    static final String BULK_LIMIT_MESSAGE =
            "Batch surrogate key request only supports up to 256 surrogate keys";

    private final FastlyEmulatorSettings settings;
    private final Clock clock;
    // Fastly budgets counted calls per user; a token stands for a user here.
    private final ConcurrentMap<String, FixedWindowLimit> limits = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    FastlyResponder(FastlyEmulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The answer to a request that no fault intercepted. */
    HttpReply answer(FastlyInbound in) {
        if (!authorized(in)) {
            return HttpReply.message(401, "msg", AUTH_MESSAGE);
        }
        if (in.error().isPresent()) {
            return HttpReply.message(400, "msg", in.error().get());
        }
        boolean single =
                in.action().equals(FastlyInbound.KEY) || in.action().equals(FastlyInbound.URL);
        if (single && in.items().getFirst().isEmpty()) {
            return HttpReply.message(404, "msg", "Record not found");
        }
        return switch (in.action()) {
            case FastlyInbound.BULK -> bulk(in);
            case FastlyInbound.KEY ->
                    keyTooLong(in.items().getFirst())
                            ? keyTooLongReply()
                            : HttpReply.json(200, ok().put("id", purgeId()));
            case FastlyInbound.URL -> HttpReply.json(200, ok().put("id", purgeId()));
            case FastlyInbound.PURGE_ALL -> purgeAll(in);
            default -> HttpReply.message(404, "msg", "Record not found");
        };
    }

    /** The answer to a request failed by an injected fault. */
    static HttpReply fault(int status) {
        HttpReply reply =
                HttpReply.message(status, "msg", "sandbox injected fault (HTTP " + status + ")");
        // A throttling fault carries the retry hint a real 429 would, so clients can honour it.
        return status == 429 ? reply.withHeaders(Map.of("Retry-After", "1")) : reply;
    }

    /** Forgets every rate-limit window. */
    void reset() {
        limits.clear();
    }

    private boolean authorized(FastlyInbound in) {
        String token = in.token().map(String::strip).orElse("");
        Set<String> accepted = settings.acceptedTokens();
        return !token.isEmpty() && (accepted.isEmpty() || accepted.contains(token));
    }

    private HttpReply bulk(FastlyInbound in) {
        if (in.items().size() > MAX_BULK_KEYS) {
            return HttpReply.message(400, "msg", BULK_LIMIT_MESSAGE);
        }
        if (in.items().isEmpty()) {
            return HttpReply.message(400, "msg", "No surrogate keys given");
        }
        if (in.items().stream().anyMatch(FastlyResponder::keyTooLong)) {
            return keyTooLongReply();
        }
        JsonObject ids = new JsonObject();
        in.items().forEach(key -> ids.put(key, purgeId()));
        return HttpReply.json(200, ids);
    }

    private HttpReply purgeAll(FastlyInbound in) {
        if (in.soft()) {
            return HttpReply.message(400, "msg", "purge_all cannot be a soft purge");
        }
        FixedWindowLimit limit =
                limits.computeIfAbsent(
                        in.token().orElseThrow(),
                        t ->
                                new FixedWindowLimit(
                                        settings.hourlyLimit(), Duration.ofHours(1), clock));
        FixedWindowLimit.Outcome outcome = limit.tryAcquire();
        Map<String, String> headers =
                Map.of(
                        "Fastly-RateLimit-Remaining", Integer.toString(outcome.remaining()),
                        "Fastly-RateLimit-Reset", Long.toString(outcome.reset().getEpochSecond()));
        if (!outcome.allowed()) {
            long wait =
                    Math.max(
                            1, outcome.reset().getEpochSecond() - clock.instant().getEpochSecond());
            Map<String, String> throttled = new HashMap<>(headers);
            throttled.put("Retry-After", Long.toString(wait));
            return HttpReply.message(429, "msg", "Too many requests").withHeaders(throttled);
        }
        return HttpReply.json(200, ok()).withHeaders(headers);
    }

    private static boolean keyTooLong(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES;
    }

    private static HttpReply keyTooLongReply() {
        return HttpReply.message(
                400, "msg", "Surrogate key is longer than " + MAX_KEY_BYTES + " bytes");
    }

    private static JsonObject ok() {
        return new JsonObject().put("status", "ok");
    }

    // Shaped like Fastly's ids ("<node>-<epoch>-<sequence>"), unique within one sandbox.
    private String purgeId() {
        return ThreadLocalRandom.current().nextInt(100, 1000)
                + "-"
                + clock.instant().getEpochSecond()
                + "-"
                + sequence.incrementAndGet();
    }
}
