package dev.tagpurge.sandbox;

import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One provider's cached edge, for the verification probe: a GET caches the object on first sight
 * ({@code MISS}) and serves it from cache afterwards ({@code HIT}, with a growing {@code Age}), in
 * the provider's own cache headers. A successful purge through that provider's emulated API (by
 * tag, URL, prefix or everything) drops matching objects, so the next GET is a miss again; an
 * object {@link #define defined} as stale-serving ignores purges.
 *
 * <p>Objects are keyed by path and query below the edge's root ({@code /edge/<provider>}); the host
 * of a purged URL is not compared. A CloudFront invalidation (paths, {@code path*}, {@code #tag}
 * items) takes effect when created.
 */
public final class CdnEdge {

    /** What the synthetic origin says of one path: its cache tags, and whether purges miss it. */
    private record Origin(Set<String> tags, boolean staleServe) {}

    private record Cached(Set<String> tags, long cachedAtMillis, boolean staleServe, int hits) {
        Cached hit() {
            return new Cached(tags, cachedAtMillis, staleServe, hits + 1);
        }
    }

    private final String provider;
    private final Clock clock;
    private final Map<String, Origin> origin = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    CdnEdge(String provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
    }

    public String provider() {
        return provider;
    }

    /**
     * Defines the object at {@code path} (with its query, if any): its tags (surrogate keys, cache
     * tags), whether it ignores purges, and, with {@code cachedSecondsAgo} &ge; 0, a copy already
     * in cache since that long ago (else it is cached by its first GET).
     */
    public void define(String path, List<String> tags, boolean staleServe, long cachedSecondsAgo) {
        Set<String> keys = Set.copyOf(tags);
        origin.put(path, new Origin(keys, staleServe));
        if (cachedSecondsAgo >= 0) {
            cache.put(
                    path,
                    new Cached(keys, clock.millis() - cachedSecondsAgo * 1000, staleServe, 0));
        } else {
            cache.remove(path);
        }
    }

    /** Whether {@code path} is in cache now. */
    public boolean isCached(String path) {
        return cache.containsKey(path);
    }

    /** Forgets every object and definition. */
    public void reset() {
        origin.clear();
        cache.clear();
    }

    /** Serves a GET of {@code path}: a hit when cached, else a miss that caches it. */
    Map<String, String> serve(String path, String pragma) {
        long now = clock.millis();
        Cached[] before = new Cached[1];
        Cached served =
                cache.compute(
                        path,
                        (p, c) -> {
                            before[0] = c;
                            if (c != null) {
                                return c.hit();
                            }
                            Origin o = origin.getOrDefault(p, new Origin(Set.of(), false));
                            return new Cached(o.tags(), now, o.staleServe(), 0);
                        });
        boolean hit = before[0] != null;
        long age = Math.max(0, (now - served.cachedAtMillis()) / 1000);
        return headers(hit, age, served.hits(), pragma == null ? "" : pragma);
    }

    void handle(RoutingContext ctx, String root) {
        String raw = ctx.request().path();
        String mount = ctx.mountPoint() == null ? "" : ctx.mountPoint().replaceAll("/+$", "");
        String base = mount + root;
        String path = raw.startsWith(base) ? raw.substring(base.length()) : raw;
        if (path.isEmpty()) {
            path = "/";
        }
        String query = ctx.request().query();
        Map<String, String> headers =
                serve(query == null ? path : path + "?" + query, ctx.request().getHeader("Pragma"));
        headers.forEach(ctx.response()::putHeader);
        ctx.response()
                .putHeader("Content-Type", "text/plain")
                .putHeader("Cache-Control", "public, max-age=86400")
                .end("sandbox object " + path + "\n");
    }

    private Map<String, String> headers(boolean hit, long age, int hits, String pragma) {
        Map<String, String> h = new LinkedHashMap<>();
        switch (provider) {
            case FastlyEmulator.PROVIDER -> {
                h.put("X-Cache", hit ? "HIT" : "MISS");
                h.put("X-Cache-Hits", String.valueOf(hits));
                h.put("X-Served-By", "cache-sbx1001-SBX");
                h.put("Age", String.valueOf(age));
            }
            case CloudflareEmulator.PROVIDER -> {
                h.put("CF-Cache-Status", hit ? "HIT" : "MISS");
                h.put("CF-RAY", "8f1e2d3c4b5a6978-SBX");
                if (hit) {
                    h.put("Age", String.valueOf(age));
                }
            }
            case CloudFrontEmulator.PROVIDER -> {
                h.put("X-Cache", hit ? "Hit from cloudfront" : "Miss from cloudfront");
                h.put("Via", "1.1 0123456789abcdef.cloudfront.net (CloudFront)");
                h.put("X-Amz-Cf-Pop", "SBX1-C1");
                if (hit) {
                    h.put("Age", String.valueOf(age));
                }
            }
            case AkamaiEmulator.PROVIDER -> {
                // debug headers only when asked for; Akamai sends no Age of its own
                String asked = pragma.toLowerCase(Locale.ROOT);
                if (asked.contains("akamai-x-cache-on")) {
                    h.put(
                            "X-Cache",
                            (hit ? "TCP_HIT" : "TCP_MISS")
                                    + " from a127-0-0-1.deploy.akamaitechnologies.com"
                                    + " (AkamaiGHost/22.0.0-sandbox) (-)");
                }
                if (asked.contains("akamai-x-check-cacheable")) {
                    h.put("X-Check-Cacheable", "YES");
                }
            }
            default -> {}
        }
        return h;
    }

    /** Applies a purge this provider's emulated API accepted. */
    void purged(RecordedPurge purge) {
        if (!purge.succeeded() || !purge.provider().equals(provider)) {
            return;
        }
        String action = purge.action();
        List<String> items = purge.items();
        switch (provider) {
            case FastlyEmulator.PROVIDER -> {
                switch (action) {
                    case "key", "bulk" -> dropTagged(items, false);
                    // host/path?query as Fastly documents it, or a whole URL
                    case "url" -> dropUrls(items.stream().map(CdnEdge::withScheme).toList());
                    case "purge_all" -> dropAll();
                    default -> {}
                }
            }
            case CloudflareEmulator.PROVIDER -> {
                switch (action) {
                    case "tags" -> dropTagged(items, true);
                    case "files" -> dropUrls(items);
                    case "prefixes" ->
                            dropPrefixes(items.stream().map(CdnEdge::withScheme).toList());
                    case "hosts", "everything" -> dropAll();
                    default -> {}
                }
            }
            case AkamaiEmulator.PROVIDER -> {
                if (action.endsWith("/tag")) {
                    dropTagged(items, false);
                } else if (action.endsWith("/url")) {
                    dropUrls(items);
                } else if (action.endsWith("/cpcode")) {
                    dropAll();
                }
            }
            case CloudFrontEmulator.PROVIDER -> {
                if (action.equals("create-invalidation")) {
                    for (String p : items) {
                        if (p.startsWith("#")) {
                            // a #tag item: CloudFront compares cache tags case-insensitively
                            dropTagged(List.of(p.substring(1)), true);
                        } else if (p.endsWith("*")) {
                            dropPrefixes(List.of(p.substring(0, p.length() - 1)));
                        } else {
                            dropUrls(List.of(p));
                        }
                    }
                }
            }
            default -> {}
        }
    }

    private void dropTagged(List<String> tags, boolean caseInsensitive) {
        Set<String> purged =
                tags.stream()
                        .map(t -> caseInsensitive ? t.toLowerCase(Locale.ROOT) : t)
                        .collect(Collectors.toSet());
        cache.entrySet()
                .removeIf(
                        e ->
                                !e.getValue().staleServe()
                                        && e.getValue().tags().stream()
                                                .map(
                                                        t ->
                                                                caseInsensitive
                                                                        ? t.toLowerCase(Locale.ROOT)
                                                                        : t)
                                                .anyMatch(purged::contains));
    }

    private void dropUrls(List<String> urls) {
        Set<String> paths = urls.stream().map(CdnEdge::pathOf).collect(Collectors.toSet());
        cache.entrySet().removeIf(e -> !e.getValue().staleServe() && paths.contains(e.getKey()));
    }

    private void dropPrefixes(List<String> prefixes) {
        List<String> paths = prefixes.stream().map(CdnEdge::pathOf).toList();
        cache.entrySet()
                .removeIf(
                        e ->
                                !e.getValue().staleServe()
                                        && paths.stream().anyMatch(e.getKey()::startsWith));
    }

    private void dropAll() {
        cache.entrySet().removeIf(e -> !e.getValue().staleServe());
    }

    /** A purged {@code host/path} as a URL; a URL or a path as it is. */
    private static String withScheme(String item) {
        return item.contains("://") || item.startsWith("/") ? item : "https://" + item;
    }

    /** The path and query of a purged URL, or the item itself when it is a path already. */
    static String pathOf(String url) {
        if (url.startsWith("/")) {
            return url;
        }
        try {
            URI uri = new URI(url);
            String path =
                    uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        } catch (URISyntaxException e) {
            return url;
        }
    }
}
