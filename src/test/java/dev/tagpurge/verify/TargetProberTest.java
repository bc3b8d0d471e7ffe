package dev.tagpurge.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.metrics.VerificationMetrics;
import dev.tagpurge.purge.fastly.FastlyCacheStatus;
import dev.tagpurge.verify.ProbeResult.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe's allow-list (no request to a host not listed), its sample and its rate limit. */
class TargetProberTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final List<URI> fetched = new CopyOnWriteArrayList<>();
    private final EdgeFetcher missEverywhere =
            (uri, headers, timeout) -> {
                fetched.add(uri);
                return CompletableFuture.completedFuture(
                        new EdgeFetcher.Response(
                                200, name -> name.equals("X-Cache") ? List.of("MISS") : List.of()));
            };
    private final AtomicLong nanos = new AtomicLong(0);
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        thread.shutdownNow();
    }

    private TargetProber prober(int rate, int maxUrls, Map<String, String> tagUrls) {
        return new TargetProber(
                "cdn",
                Optional.of(new FastlyCacheStatus()),
                new HostAllowList(List.of("www.example.com", "IMG.example.com")),
                new ProbeUrls(tagUrls, Optional.of("www.example.com"), maxUrls),
                Map.of("www.example.com", "http://127.0.0.1:9/edge/fastly/"),
                Duration.ofSeconds(1),
                new TokenBucket(rate, nanos.get()),
                missEverywhere,
                new VerificationMetrics(registry, "cdn"),
                thread,
                nanos::get,
                Clock.systemUTC());
    }

    private double count(String result) {
        var counter =
                registry.find(MetricNames.PURGE_VERIFICATIONS)
                        .tags("target", "cdn", "result", result)
                        .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void urlsOnHostsNotAllowedAreUnverifiableAndNeverFetched() {
        List<ProbeResult> results =
                prober(100, 10, Map.of("p-{id}", "https://evil.example.net/p/{id}"))
                        .probe(
                                List.of(
                                        "https://other.example.org/a",
                                        "http://169.254.169.254/latest/meta-data/",
                                        "ftp://www.example.com/file",
                                        "https://user:pw@www.example.com/x",
                                        "https://img.example.com/logo.png"),
                                List.of("p-1"),
                                Instant.now())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();

        assertThat(results)
                .extracting(ProbeResult::url, ProbeResult::verdict)
                .containsExactly(
                        tuple("https://other.example.org/a", Verdict.UNVERIFIABLE),
                        tuple("http://169.254.169.254/latest/meta-data/", Verdict.UNVERIFIABLE),
                        tuple("ftp://www.example.com/file", Verdict.UNVERIFIABLE),
                        tuple("https://user:pw@www.example.com/x", Verdict.UNVERIFIABLE),
                        tuple("https://img.example.com/logo.png", Verdict.VERIFIED),
                        tuple("https://evil.example.net/p/1", Verdict.UNVERIFIABLE));
        assertThat(results.get(0).reason()).isEqualTo("host other.example.org not allowed");
        assertThat(results.get(1).reason()).isEqualTo("host 169.254.169.254 not allowed");
        assertThat(results.get(5).reason()).isEqualTo("host evil.example.net not allowed");
        // the one allowed URL is the only request made
        assertThat(fetched).containsExactly(URI.create("https://img.example.com/logo.png"));
        assertThat(count("unverifiable")).isEqualTo(5);
        assertThat(count("verified")).isEqualTo(1);
    }

    @Test
    void sampleIsCappedPathOnlyUrlsUseTheTargetHostAndConnectToRedirectsTheConnection() {
        List<ProbeResult> results =
                prober(100, 2, Map.of("product-{id}", "https://www.example.com/products/{id}"))
                        .probe(
                                List.of("/a?x=1"),
                                List.of("product-42", "product-43"),
                                Instant.now())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();

        assertThat(results)
                .extracting(ProbeResult::url)
                .containsExactly(
                        "https://www.example.com/a?x=1", "https://www.example.com/products/42");
        assertThat(fetched)
                .containsExactly(
                        URI.create("http://127.0.0.1:9/edge/fastly/a?x=1"),
                        URI.create("http://127.0.0.1:9/edge/fastly/products/42"));
    }

    @Test
    void probesWaitForTheTargetsTokens() {
        CompletableFuture<List<ProbeResult>> done =
                prober(1, 3, Map.of())
                        .probe(
                                List.of("https://www.example.com/1", "https://www.example.com/2"),
                                List.of(),
                                Instant.now());

        // one token: the first URL is fetched, the second waits for the next token, and keeps
        // waiting as long as no time passes on the bucket's clock
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fetched.size() == 1 && !thread.getQueue().isEmpty());
        assertThat(done).isNotDone();
        assertThat(fetched).hasSize(1);

        nanos.addAndGet(SECOND);
        assertThat(done.orTimeout(10, TimeUnit.SECONDS).join()).hasSize(2);
        assertThat(fetched).hasSize(2);
    }

    @Test
    void theBucketRefillsAtItsRateAndSavesUpToOneSecond() {
        TokenBucket bucket = new TokenBucket(5, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(0)).as("token %d", i).isZero();
        }
        assertThat(bucket.tryTake(0)).isEqualTo(SECOND / 5);
        assertThat(bucket.tryTake(SECOND / 10)).isEqualTo(SECOND / 10);
        assertThat(bucket.tryTake(SECOND / 5)).isZero();
        // idle for a minute: still only 5 in a burst
        long later = 60 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(later)).isZero();
        }
        assertThat(bucket.tryTake(later)).isPositive();
    }
}
