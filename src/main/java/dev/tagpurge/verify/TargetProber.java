package dev.tagpurge.verify;

import dev.tagpurge.metrics.VerificationMetrics;
import dev.tagpurge.purge.CacheStatusReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Probes one target's purges: picks the URLs ({@link ProbeUrls}), refuses those on hosts not
 * allowed without a request, waits for the target's own {@link TokenBucket}, fetches the rest one
 * after another through the CDN and judges each response ({@link Verdicts}). Runs on the verifier's
 * one thread; only the HTTP exchange itself is elsewhere.
 */
final class TargetProber {

    private final String target;
    private final Optional<CacheStatusReader> reader;
    private final HostAllowList allowed;
    private final ProbeUrls urls;
    private final Map<String, String> connectTo;
    private final Duration timeout;
    private final TokenBucket bucket;
    private final EdgeFetcher fetcher;
    private final VerificationMetrics metrics;
    private final ScheduledExecutorService thread;
    private final LongSupplier nanoTime;
    private final Clock clock;

    TargetProber(
            String target,
            Optional<CacheStatusReader> reader,
            HostAllowList allowed,
            ProbeUrls urls,
            Map<String, String> connectTo,
            Duration timeout,
            TokenBucket bucket,
            EdgeFetcher fetcher,
            VerificationMetrics metrics,
            ScheduledExecutorService thread,
            LongSupplier nanoTime,
            Clock clock) {
        this.target = target;
        this.reader = reader;
        this.allowed = allowed;
        this.urls = urls;
        this.connectTo = Map.copyOf(lowerCaseKeys(connectTo));
        this.timeout = timeout;
        this.bucket = bucket;
        this.fetcher = fetcher;
        this.metrics = metrics;
        this.thread = thread;
        this.nanoTime = nanoTime;
        this.clock = clock;
    }

    String target() {
        return target;
    }

    VerificationMetrics metrics() {
        return metrics;
    }

    /**
     * Probes the sample of {@code purgedUrls} and {@code purgedTags}; call on the verifier's
     * thread. Completes with one result per URL probed (none when nothing names a URL to probe).
     */
    CompletableFuture<List<ProbeResult>> probe(
            List<String> purgedUrls, List<String> purgedTags, Instant acceptedAt) {
        List<String> sample = urls.sample(purgedUrls, purgedTags);
        List<ProbeResult> results = new ArrayList<>(sample.size());
        CompletableFuture<List<ProbeResult>> done = new CompletableFuture<>();
        next(sample, 0, results, acceptedAt, done);
        return done;
    }

    private void next(
            List<String> sample,
            int i,
            List<ProbeResult> results,
            Instant acceptedAt,
            CompletableFuture<List<ProbeResult>> done) {
        if (i == sample.size()) {
            done.complete(List.copyOf(results));
            return;
        }
        String url = sample.get(i);
        Optional<String> refusal =
                reader.isEmpty()
                        ? Optional.of("the provider reports no cache status")
                        : allowed.refusal(url);
        if (refusal.isPresent()) {
            record(results, ProbeResult.unverifiable(url, refusal.get()));
            next(sample, i + 1, results, acceptedAt, done);
            return;
        }
        long wait = bucket.tryTake(nanoTime.getAsLong());
        if (wait > 0) {
            thread.schedule(
                    () -> next(sample, i, results, acceptedAt, done), wait, TimeUnit.NANOSECONDS);
            return;
        }
        fetch(url, acceptedAt)
                .whenComplete(
                        (result, error) ->
                                thread.execute(
                                        () -> {
                                            record(
                                                    results,
                                                    error == null
                                                            ? result
                                                            : ProbeResult.unverifiable(
                                                                    url, describe(error)));
                                            next(sample, i + 1, results, acceptedAt, done);
                                        }));
    }

    private CompletableFuture<ProbeResult> fetch(String url, Instant acceptedAt) {
        CacheStatusReader headers = reader.orElseThrow();
        URI uri;
        try {
            uri = URI.create(url);
            uri = connectTo(uri);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ProbeResult.unverifiable(url, "not a URL"));
        }
        return fetcher.get(uri, headers.requestHeaders(), timeout)
                .orTimeout(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                .thenApply(
                        response -> {
                            if (response.status() >= 400) {
                                return ProbeResult.unverifiable(url, "HTTP " + response.status());
                            }
                            Duration since = Duration.between(acceptedAt, clock.instant());
                            return Verdicts.judge(url, headers.read(response.header()), since);
                        });
    }

    /** The URL to connect to: the allowed URL itself, or its path on a {@code connect-to} base. */
    private URI connectTo(URI uri) {
        String base = connectTo.get(uri.getHost().toLowerCase(Locale.ROOT));
        if (base == null) {
            return uri;
        }
        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return URI.create(base.replaceAll("/+$", "") + path + query);
    }

    private void record(List<ProbeResult> results, ProbeResult result) {
        results.add(result);
        metrics.result(result.verdict().label());
    }

    private static String describe(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> map) {
        Map<String, String> out = new HashMap<>();
        map.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
