package dev.tagpurge.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.purge.CacheStatusReader;
import dev.tagpurge.purge.akamai.AkamaiCacheStatus;
import dev.tagpurge.purge.cloudflare.CloudflareCacheStatus;
import dev.tagpurge.purge.cloudfront.CloudFrontCacheStatus;
import dev.tagpurge.purge.fastly.FastlyCacheStatus;
import dev.tagpurge.verify.ProbeResult.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each provider's cache headers, as its documentation shows them, judged against a purge: a miss is
 * verified, a hit older than the purge is stale-served, a younger one verified, and what says
 * nothing about the cache is unverifiable.
 */
class CacheHeaderVerdictsTest {

    private static final Duration TEN_SECONDS_AGO = Duration.ofSeconds(10);

    /** Response headers as lines {@code Name: value}; a name given twice keeps both values. */
    private static ProbeResult judge(
            CacheStatusReader reader, Duration sincePurge, String... lines) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : lines) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return Verdicts.judge(
                "https://www.example.com/p",
                reader.read(name -> headers.getOrDefault(name, List.of())),
                sincePurge);
    }

    @Test
    void fastlyAShieldedHitOlderThanThePurgeIsStaleServed() {
        // Fastly's "Checking cache" guide: two cache nodes (shielding), both hits
        ProbeResult r =
                judge(
                        new FastlyCacheStatus(),
                        TEN_SECONDS_AGO,
                        "Age: 142",
                        "X-Served-By: cache-jfk1041-JFK, cache-ord1720-ORD",
                        "X-Cache: HIT, HIT",
                        "X-Cache-Hits: 1, 7");
        assertThat(r.verdict()).isEqualTo(Verdict.STALE_SERVED);
        assertThat(r.reason()).contains("HIT, HIT").contains("cache-jfk1041-JFK").contains("142");
    }

    @Test
    void fastlyAMissEverywhereIsVerifiedAndAHitAtTheShieldIsAHit() {
        FastlyCacheStatus fastly = new FastlyCacheStatus();
        assertThat(judge(fastly, TEN_SECONDS_AGO, "X-Cache: MISS, MISS", "Age: 0").verdict())
                .isEqualTo(Verdict.VERIFIED);
        // any entry but MISS means the response came from a cache
        assertThat(judge(fastly, TEN_SECONDS_AGO, "X-Cache: HIT, MISS", "Age: 300").verdict())
                .isEqualTo(Verdict.STALE_SERVED);
        assertThat(judge(fastly, TEN_SECONDS_AGO, "X-Cache: MISS, HIT", "Age: 3").verdict())
                .isEqualTo(Verdict.VERIFIED);
        assertThat(judge(fastly, TEN_SECONDS_AGO, "Age: 3").verdict())
                .isEqualTo(Verdict.UNVERIFIABLE);
        assertThat(judge(fastly, TEN_SECONDS_AGO, "X-Cache: HIT").reason())
                .startsWith("hit without Age");
    }

    @Test
    void cloudflareStatuses() {
        CloudflareCacheStatus cf = new CloudflareCacheStatus();
        assertThat(judge(cf, TEN_SECONDS_AGO, "CF-Cache-Status: HIT", "Age: 3600").verdict())
                .isEqualTo(Verdict.STALE_SERVED);
        assertThat(judge(cf, TEN_SECONDS_AGO, "cf-cache-status: HIT", "age: 4").verdict())
                .isEqualTo(Verdict.VERIFIED);
        for (String fresh : List.of("MISS", "EXPIRED", "REVALIDATED")) {
            assertThat(judge(cf, TEN_SECONDS_AGO, "CF-Cache-Status: " + fresh).verdict())
                    .as(fresh)
                    .isEqualTo(Verdict.VERIFIED);
        }
        for (String stale : List.of("STALE", "UPDATING")) {
            assertThat(
                            judge(cf, TEN_SECONDS_AGO, "CF-Cache-Status: " + stale, "Age: 600")
                                    .verdict())
                    .as(stale)
                    .isEqualTo(Verdict.STALE_SERVED);
        }
        for (String none : List.of("DYNAMIC", "BYPASS", "NONE/UNKNOWN")) {
            ProbeResult r = judge(cf, TEN_SECONDS_AGO, "CF-Cache-Status: " + none);
            assertThat(r.verdict()).as(none).isEqualTo(Verdict.UNVERIFIABLE);
            assertThat(r.reason()).startsWith("not cached");
        }
    }

    @Test
    void cloudFrontResults() {
        CloudFrontCacheStatus cf = new CloudFrontCacheStatus();
        // AWS knowledge center example: "Age: 14", "X-Cache: Hit from cloudfront"
        assertThat(
                        judge(cf, Duration.ofMinutes(1), "Age: 14", "X-Cache: Hit from cloudfront")
                                .verdict())
                .isEqualTo(Verdict.VERIFIED);
        assertThat(
                        judge(cf, TEN_SECONDS_AGO, "Age: 1350", "X-Cache: Hit from cloudfront")
                                .verdict())
                .isEqualTo(Verdict.STALE_SERVED);
        assertThat(judge(cf, TEN_SECONDS_AGO, "X-Cache: Miss from cloudfront").verdict())
                .isEqualTo(Verdict.VERIFIED);
        assertThat(
                        judge(
                                        cf,
                                        TEN_SECONDS_AGO,
                                        "Age: 900",
                                        "X-Cache: RefreshHit from cloudfront")
                                .verdict())
                .isEqualTo(Verdict.VERIFIED);
        assertThat(judge(cf, TEN_SECONDS_AGO, "X-Cache: Error from cloudfront").verdict())
                .isEqualTo(Verdict.UNVERIFIABLE);
        assertThat(judge(cf, TEN_SECONDS_AGO, "Via: 1.1 abc.cloudfront.net (CloudFront)").verdict())
                .isEqualTo(Verdict.UNVERIFIABLE);
    }

    @Test
    void akamaiDebugHeaders() {
        AkamaiCacheStatus akamai = new AkamaiCacheStatus();
        assertThat(akamai.requestHeaders().get("Pragma"))
                .contains("akamai-x-cache-on")
                .contains("akamai-x-check-cacheable");
        assertThat(
                        judge(
                                        akamai,
                                        TEN_SECONDS_AGO,
                                        "X-Cache: TCP_MISS from a165-254-246-9.deploy.akamaitechnologies.com",
                                        "X-Check-Cacheable: YES")
                                .verdict())
                .isEqualTo(Verdict.VERIFIED);
        assertThat(
                        judge(
                                        akamai,
                                        TEN_SECONDS_AGO,
                                        "X-Cache: TCP_REFRESH_HIT from a23-67-252-148.deploy.akamaitechnologies.com")
                                .verdict())
                .isEqualTo(Verdict.VERIFIED);
        // Akamai sends no Age: a hit cannot be dated
        ProbeResult hit =
                judge(
                        akamai,
                        TEN_SECONDS_AGO,
                        "X-Cache: TCP_MEM_HIT from a118-214-191-15 (AkamaiGHost/6.7.0.2-9183648)",
                        "X-Check-Cacheable: YES");
        assertThat(hit.verdict()).isEqualTo(Verdict.UNVERIFIABLE);
        assertThat(hit.reason()).startsWith("hit without Age");
        assertThat(
                        judge(
                                        akamai,
                                        TEN_SECONDS_AGO,
                                        "X-Cache: TCP_HIT from a23-0-0-1.deploy.akamaitechnologies.com",
                                        "Age: 86400")
                                .verdict())
                .isEqualTo(Verdict.STALE_SERVED);
        assertThat(
                        judge(
                                        akamai,
                                        TEN_SECONDS_AGO,
                                        "X-Cache: TCP_MISS from a23-0-0-1.deploy.akamaitechnologies.com",
                                        "X-Check-Cacheable: NO")
                                .reason()
                                .toLowerCase(Locale.ROOT))
                .startsWith("not cached");
        assertThat(judge(akamai, TEN_SECONDS_AGO, "Server: AkamaiGHost").reason())
                .contains("Pragma");
    }
}
