package dev.tagpurge.purge.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.testing.HostileSelectors;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * No event can make Cloudflare's request builder aim a request, which carries the Bearer token,
 * anywhere but the zone's {@code purge_cache}/{@code invalidate_cache}: selectors travel in the
 * JSON body only, as normalised absolute URLs ({@code files}) or {@code host/path} ({@code
 * prefixes}), and a prefix of a host's root is refused.
 */
class CloudflareHostileSelectorsTest {

    private static final String ZONE = CloudflareRequestsTest.ZONE;
    private static final CloudflareSettings SETTINGS =
            new CloudflareSettings(
                    "zone",
                    CloudflareSettings.DEFAULT_BASE_URL,
                    ZONE,
                    "tok",
                    Optional.of("www.example.com"),
                    CloudflarePlan.ENTERPRISE,
                    100,
                    500,
                    100);
    private static final List<String> PURGE_ENDPOINTS =
            List.of("/zones/" + ZONE + "/purge_cache", "/zones/" + ZONE + "/invalidate_cache");

    @Test
    void everyHostileUrlIsRefusedOrSentAsANormalisedAbsoluteUrlInTheBody() {
        int sent = 0;
        for (String value : HostileSelectors.corpus(5000)) {
            for (PurgeMode mode : PurgeMode.values()) {
                Optional<CloudflareCall> call =
                        built(SelectorKind.URL, mode, new Selector.Url(value));
                if (call.isEmpty()) {
                    continue;
                }
                sent++;
                assertOnlyAPurgeEndpoint(call.get(), value);
                String file = body(call.get()).getJsonArray("files").getString(0);
                assertThat(NormalizedUrl.url(file).absolute()).as(value).isEqualTo(file);
                assertThat(file).as(value).matches("https?://[!-~]+");
            }
        }
        assertThat(sent).isGreaterThan(100);
    }

    @Test
    void everyHostilePrefixIsRefusedOrSentAsHostPathWithoutQueryInTheBody() {
        int sent = 0;
        for (String value : HostileSelectors.corpus(5000)) {
            Optional<CloudflareCall> call =
                    built(SelectorKind.PREFIX, PurgeMode.HARD, new Selector.Prefix(value));
            if (call.isEmpty()) {
                continue;
            }
            sent++;
            assertOnlyAPurgeEndpoint(call.get(), value);
            String prefix = body(call.get()).getJsonArray("prefixes").getString(0);
            assertThat(prefix).as(value).matches("[!-~]+").doesNotContain("?", "#", "://");
            NormalizedUrl parsed = NormalizedUrl.prefix(prefix);
            assertThat(parsed.hostPath()).as(value).isEqualTo(prefix);
            assertThat(parsed.isRoot()).as(value).isFalse();
        }
        assertThat(sent).isGreaterThan(100);
    }

    @Test
    void prefixesOfAHostsRootAreRefusedNotPurgedAsThatHost() {
        for (String root : List.of("/", "www.example.com", "https://www.example.com/", "/./")) {
            assertThat(
                            CloudflareRequests.rejectReason(
                                    new Selector.Prefix(root), SETTINGS.defaultHost()))
                    .as(root)
                    .hasValueSatisfying(r -> assertThat(r).contains("root"));
        }
    }

    private static void assertOnlyAPurgeEndpoint(CloudflareCall call, String value) {
        assertThat(call.path()).as(value).isIn(PURGE_ENDPOINTS);
        URI sent = URI.create(SETTINGS.baseUrl() + call.path());
        assertThat(sent.getHost()).isEqualTo("api.cloudflare.com");
        assertThat(sent.getRawQuery()).isNull();
        assertThat(call.toString()).doesNotContain("Bearer");
        assertThat(body(call).fieldNames()).hasSize(1);
    }

    private static JsonObject body(CloudflareCall call) {
        return new JsonObject(call.jsonBody());
    }

    private static Optional<CloudflareCall> built(
            SelectorKind kind, PurgeMode mode, Selector selector) {
        try {
            return Optional.of(
                    CloudflareRequests.build(
                            new PurgeRequest("b-1", "zone", kind, mode, List.of(selector), 1),
                            SETTINGS));
        } catch (IllegalArgumentException refused) {
            return Optional.empty();
        }
    }
}
