package dev.tagpurge.purge.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CloudflareRequestsTest {

    static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

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
    private static final CloudflareSettings NO_HOST =
            new CloudflareSettings(
                    "zone",
                    CloudflareSettings.DEFAULT_BASE_URL,
                    ZONE,
                    "tok",
                    Optional.empty(),
                    CloudflarePlan.FREE,
                    100,
                    100,
                    100);

    @Test
    void tagsBecomeOnePurgeCacheCallWithATagsBody() {
        CloudflareCall call =
                build(SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("Product-1"), tag("c-7"));

        assertThat(call.path()).isEqualTo("/zones/" + ZONE + "/purge_cache");
        assertThat(new JsonObject(call.jsonBody()))
                .isEqualTo(
                        new JsonObject().put("tags", new JsonArray().add("Product-1").add("c-7")));
        assertThat(call.items()).containsExactly("Product-1", "c-7");
        assertThat(call.soft()).isFalse();
    }

    @Test
    void softPurgesGoToInvalidateCacheWithTheSameBody() {
        CloudflareCall hard = build(SelectorKind.TAG, PurgeMode.HARD, tag("a"));
        CloudflareCall soft = build(SelectorKind.TAG, PurgeMode.SOFT, tag("a"));
        CloudflareCall everything =
                build(SelectorKind.EVERYTHING, PurgeMode.SOFT, new Selector.Everything());

        assertThat(soft.path()).isEqualTo("/zones/" + ZONE + "/invalidate_cache");
        assertThat(soft.jsonBody()).isEqualTo(hard.jsonBody());
        assertThat(soft.soft()).isTrue();
        assertThat(everything.path()).isEqualTo("/zones/" + ZONE + "/invalidate_cache");
        assertThat(everything.jsonBody()).isEqualTo("{\"purge_everything\":true}");
        assertThat(everything.items()).isEmpty();
    }

    @Test
    void urlsGoOutAbsoluteAsFilesAndPathsGetTheFirstHost() {
        CloudflareCall call =
                build(
                        SelectorKind.URL,
                        PurgeMode.HARD,
                        new Selector.Url("http://shop.example.com/p/42?lang=en"),
                        new Selector.Url("/p/43"));

        assertThat(new JsonObject(call.jsonBody()).getJsonArray("files").getList())
                .containsExactly(
                        "http://shop.example.com/p/42?lang=en", "https://www.example.com/p/43");
        assertThat(new JsonObject(call.jsonBody()).fieldNames()).containsExactly("files");
    }

    @Test
    void prefixesLoseTheirSchemeAndPathsGetTheFirstHost() {
        CloudflareCall call =
                build(
                        SelectorKind.PREFIX,
                        PurgeMode.HARD,
                        new Selector.Prefix("https://shop.example.com/p/"),
                        new Selector.Prefix("/c/"),
                        new Selector.Prefix("img.example.com/a"));

        assertThat(new JsonObject(call.jsonBody()).getJsonArray("prefixes").getList())
                .containsExactly("shop.example.com/p/", "www.example.com/c/", "img.example.com/a");
    }

    @Test
    void headersCarryTheBearerTokenAndJson() {
        assertThat(CloudflareRequests.headers("tok"))
                .containsEntry("Authorization", "Bearer tok")
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Accept", "application/json");
        // The call is logged and compared; only the headers ever hold the token.
        assertThat(build(SelectorKind.TAG, PurgeMode.HARD, tag("a")).toString())
                .doesNotContain("Bearer");
    }

    @Test
    void rejectsWhatCloudflareCannotPurgeForThisTarget() {
        Optional<String> host = Optional.of("www.example.com");
        assertThat(CloudflareRequests.rejectReason(tag("t".repeat(1024)), host)).isEmpty();
        assertThat(CloudflareRequests.rejectReason(tag("t".repeat(1025)), host))
                .contains("cloudflare cache tags are at most 1024 characters");
        assertThat(CloudflareRequests.rejectReason(new Selector.Prefix("/p/?a=1"), host))
                .contains("cloudflare prefix purge takes no query string");
        assertThat(CloudflareRequests.rejectReason(new Selector.Url("/p/1"), Optional.empty()))
                .hasValueSatisfying(r -> assertThat(r).contains("configure hosts"));
        assertThat(CloudflareRequests.rejectReason(new Selector.Prefix("/p/"), Optional.empty()))
                .hasValueSatisfying(r -> assertThat(r).contains("configure hosts"));
        assertThat(CloudflareRequests.rejectReason(new Selector.Url("ftp://h/a"), host))
                .hasValueSatisfying(r -> assertThat(r).contains("cloudflare URL purge", "http(s)"));
        assertThat(CloudflareRequests.rejectReason(new Selector.Url("p/1"), host)).isPresent();
        assertThat(CloudflareRequests.rejectReason(new Selector.Everything(), host)).isEmpty();
        assertThat(CloudflareRequests.rejectReason(new Selector.Url("/p/1"), host)).isEmpty();
    }

    @Test
    void buildRefusesRejectedSelectorsAndOversizedBatches() {
        assertThatThrownBy(
                        () ->
                                CloudflareRequests.build(
                                        request(
                                                SelectorKind.URL,
                                                PurgeMode.HARD,
                                                new Selector.Url("/p/1")),
                                        NO_HOST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configure hosts");
        Selector[] tooMany =
                IntStream.range(0, 101).mapToObj(i -> tag("t" + i)).toArray(Selector[]::new);
        assertThatThrownBy(() -> build(SelectorKind.TAG, PurgeMode.HARD, tooMany))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cloudflare takes at most 100 tags per request, got 101");
        Selector[] urls =
                IntStream.range(0, 500)
                        .mapToObj(i -> new Selector.Url("/p/" + i))
                        .toArray(Selector[]::new);
        assertThat(build(SelectorKind.URL, PurgeMode.HARD, urls).items()).hasSize(500);
    }

    static PurgeRequest request(SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return new PurgeRequest("batch-1", "zone", kind, mode, Arrays.asList(selectors), 1);
    }

    private static CloudflareCall build(SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return CloudflareRequests.build(request(kind, mode, selectors), SETTINGS);
    }

    private static Selector tag(String value) {
        return new Selector.Tag(value);
    }
}
