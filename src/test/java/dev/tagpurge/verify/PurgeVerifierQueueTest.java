package dev.tagpurge.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.purge.FinishedPurges;
import dev.tagpurge.purge.fastly.FastlyCacheStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The probe queue's bound: with {@code queue-capacity=1} and the one probe admitted still waiting
 * on its fetch, the next finished purge is not probed and is counted as dropped, and its future
 * completes at once (empty), so the event's completion never waits on a full queue.
 */
class PurgeVerifierQueueTest {

    private static final String T = FinishedPurges.TARGET;
    private static final MappedSelectors URL =
            new MappedSelectors(List.of(), List.of("https://www.example.com/a"), List.of(), false);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<URI> fetched = new CopyOnWriteArrayList<>();
    private final CompletableFuture<EdgeFetcher.Response> blocked = new CompletableFuture<>();
    private final EdgeFetcher blockedFetcher =
            (uri, headers, timeout) -> {
                fetched.add(uri);
                return blocked;
            };
    private PurgeVerifier verifier;

    @AfterEach
    void stop() {
        if (verifier != null) {
            verifier.stop();
        }
    }

    private PurgeVerifier verifier(int capacity) {
        Map<String, String> p =
                Map.of(
                        "tagpurge.targets." + T + ".provider",
                        "fastly",
                        "tagpurge.targets." + T + ".probe.enabled",
                        "true",
                        "tagpurge.targets." + T + ".probe.allowed-hosts",
                        "www.example.com",
                        "tagpurge.targets." + T + ".probe.delay",
                        "0s",
                        "tagpurge.targets." + T + ".probe.timeout",
                        "1h",
                        "tagpurge.verification.queue-capacity",
                        String.valueOf(capacity));
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .withMapping(TagpurgeConfig.class)
                        .withMapping(VerificationConfig.class)
                        .withConverter(Duration.class, 200, new DurationConverter())
                        .withSources(new PropertiesConfigSource(p, "test", 100))
                        .build();
        verifier =
                new PurgeVerifier(
                        config.getConfigMapping(VerificationConfig.class),
                        config.getConfigMapping(TagpurgeConfig.class),
                        FinishedPurges.dispatcher(),
                        List.of(new FastlyCacheStatus()),
                        registry,
                        blockedFetcher);
        return verifier;
    }

    private double dropped() {
        var counter =
                registry.find(MetricNames.PURGE_VERIFICATIONS_DROPPED).tags("target", T).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aPurgeBeyondTheQueueCapacityIsDroppedAndCountedAndItsEventCompletes() {
        PurgeVerifier v = verifier(1);
        assertThat(v.active()).isTrue();

        CompletableFuture<Map<String, List<ProbeResult>>> first =
                v.verify(FinishedPurges.succeeded("e1", "fastly", Instant.now()), URL);
        // the first probe is under way: its fetch was asked for and never answers
        await().untilAsserted(() -> assertThat(fetched).hasSize(1));
        assertThat(first).isNotDone();

        CompletableFuture<Map<String, List<ProbeResult>>> second =
                v.verify(FinishedPurges.succeeded("e2", "fastly", Instant.now()), URL);
        assertThat(second)
                .as("a dropped purge never holds its event")
                .isCompletedWithValue(Map.of());
        assertThat(dropped()).isEqualTo(1.0);
        assertThat(fetched).as("the dropped purge is not probed").hasSize(1);

        // the fetch answers: the first probe ends, which frees its place in the queue
        blocked.complete(
                new EdgeFetcher.Response(
                        200, name -> name.equals("X-Cache") ? List.of("MISS") : List.of()));
        assertThat(first.join().get(T))
                .extracting(ProbeResult::verdict)
                .containsExactly(ProbeResult.Verdict.VERIFIED);
        CompletableFuture<Map<String, List<ProbeResult>>> third =
                v.verify(FinishedPurges.succeeded("e3", "fastly", Instant.now()), URL);
        assertThat(third.join().get(T)).hasSize(1);
        assertThat(dropped()).as("nothing more dropped").isEqualTo(1.0);
        assertThat(fetched).hasSize(2);
    }

    @Test
    void withinTheCapacityNothingIsDropped() {
        PurgeVerifier v = verifier(2);
        CompletableFuture<Map<String, List<ProbeResult>>> first =
                v.verify(FinishedPurges.succeeded("e1", "fastly", Instant.now()), URL);
        CompletableFuture<Map<String, List<ProbeResult>>> second =
                v.verify(FinishedPurges.succeeded("e2", "fastly", Instant.now()), URL);
        // both admitted: each probe's fetch is under way, neither answers yet
        await().untilAsserted(() -> assertThat(fetched).hasSize(2));
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(dropped()).isZero();
        blocked.complete(new EdgeFetcher.Response(200, name -> List.of("MISS")));
        assertThat(first.join().get(T)).hasSize(1);
        assertThat(second.join().get(T)).hasSize(1);
    }
}
