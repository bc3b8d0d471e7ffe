package dev.tagpurge.purge.fastly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FastlyRequestsTest {

    private static final FastlySettings SETTINGS =
            new FastlySettings(
                    "web",
                    "https://api.fastly.com",
                    "SVC1",
                    "tok",
                    Optional.of("www.example.com"),
                    256);
    private static final FastlySettings NO_HOST =
            new FastlySettings(
                    "web", "https://api.fastly.com", "SVC1", "tok", Optional.empty(), 256);

    @Test
    void tagsBecomeOneBulkPurgeWithAJsonBody() {
        FastlyCall call =
                FastlyRequests.build(
                        request(
                                SelectorKind.TAG,
                                PurgeMode.HARD,
                                new Selector.Tag("product-1"),
                                new Selector.Tag("category-7")),
                        SETTINGS);

        assertThat(call.path()).isEqualTo("/service/SVC1/purge");
        assertThat(
                        new JsonObject(call.jsonBody().orElseThrow())
                                .getJsonArray("surrogate_keys")
                                .getList())
                .containsExactly("product-1", "category-7");
        assertThat(call.items()).containsExactly("product-1", "category-7");
        assertThat(FastlyRequests.headers(call, "tok"))
                .containsEntry("Fastly-Key", "tok")
                .containsEntry("Accept", "application/json")
                .containsEntry("Content-Type", "application/json")
                .doesNotContainKey("Fastly-Soft-Purge");
    }

    @Test
    void softTagAndUrlPurgesCarryTheSoftHeader() {
        FastlyCall tags =
                FastlyRequests.build(
                        request(SelectorKind.TAG, PurgeMode.SOFT, new Selector.Tag("a")), SETTINGS);
        FastlyCall url =
                FastlyRequests.build(
                        request(
                                SelectorKind.URL,
                                PurgeMode.SOFT,
                                new Selector.Url("https://x.example/a")),
                        SETTINGS);

        assertThat(FastlyRequests.headers(tags, "tok")).containsEntry("Fastly-Soft-Purge", "1");
        assertThat(FastlyRequests.headers(url, "tok")).containsEntry("Fastly-Soft-Purge", "1");
    }

    @Test
    void purgeAllIsAlwaysHard() {
        FastlyCall call =
                FastlyRequests.build(
                        request(SelectorKind.EVERYTHING, PurgeMode.SOFT, new Selector.Everything()),
                        SETTINGS);

        assertThat(call.path()).isEqualTo("/service/SVC1/purge_all");
        assertThat(call.jsonBody()).isEmpty();
        assertThat(FastlyRequests.headers(call, "tok")).doesNotContainKey("Fastly-Soft-Purge");
        assertThat(FastlyRequests.rejectReason(new Selector.Everything(), Optional.empty()))
                .isEmpty();
    }

    @Test
    void absoluteUrlsLoseTheirSchemeAndPathsGetTheFirstHostAsOneEncodedSegment() {
        assertThat(
                        FastlyRequests.build(
                                        request(
                                                SelectorKind.URL,
                                                PurgeMode.HARD,
                                                new Selector.Url(
                                                        "https://shop.example.com/p/42?lang=en")),
                                        SETTINGS)
                                .path())
                .isEqualTo("/purge/shop.example.com%2Fp%2F42%3Flang%3Den");
        assertThat(
                        FastlyRequests.build(
                                        request(
                                                SelectorKind.URL,
                                                PurgeMode.HARD,
                                                new Selector.Url("/p/42")),
                                        SETTINGS)
                                .path())
                .isEqualTo("/purge/www.example.com%2Fp%2F42");
    }

    @Test
    void rejectsWhatFastlyCannotPurge() {
        assertThat(FastlyRequests.rejectReason(new Selector.Prefix("/p/"), Optional.of("h")))
                .contains("fastly has no prefix purge");
        assertThat(FastlyRequests.rejectReason(new Selector.Url("/p/42"), Optional.empty()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("hosts"));
        assertThat(FastlyRequests.rejectReason(new Selector.Url("p/42"), Optional.of("h")))
                .isPresent();
        assertThat(FastlyRequests.rejectReason(new Selector.Url("ftp://h/p"), Optional.of("h")))
                .isPresent();
        assertThat(FastlyRequests.rejectReason(new Selector.Url("https://h/%zz"), Optional.of("h")))
                .isPresent();
        assertThat(
                        FastlyRequests.rejectReason(
                                new Selector.Url("https://h/../x"), Optional.of("h")))
                .isPresent();
        assertThat(FastlyRequests.rejectReason(new Selector.Url("https://h/a"), Optional.empty()))
                .isEmpty();
    }

    @Test
    void keysOver1024BytesAreRejected() {
        String ascii1024 = "k".repeat(1024);
        // 342 three-byte characters are 1026 bytes, although only 342 chars.
        String multiByte = "€".repeat(342);

        assertThat(FastlyRequests.rejectReason(new Selector.Tag(ascii1024), Optional.empty()))
                .isEmpty();
        assertThat(FastlyRequests.rejectReason(new Selector.Tag(ascii1024 + "x"), Optional.empty()))
                .isPresent();
        assertThat(FastlyRequests.rejectReason(new Selector.Tag(multiByte), Optional.empty()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("1024 bytes"));
    }

    @Test
    void refusesToBuildOversizedOrMixedRequests() {
        Selector.Tag[] tags =
                IntStream.range(0, 257)
                        .mapToObj(i -> new Selector.Tag("t" + i))
                        .toArray(Selector.Tag[]::new);

        assertThatThrownBy(
                        () ->
                                FastlyRequests.build(
                                        request(SelectorKind.TAG, PurgeMode.HARD, tags), SETTINGS))
                .hasMessageContaining("at most 256");
        assertThatThrownBy(
                        () ->
                                FastlyRequests.build(
                                        request(
                                                SelectorKind.URL,
                                                PurgeMode.HARD,
                                                new Selector.Url("/a"),
                                                new Selector.Url("/b")),
                                        SETTINGS))
                .hasMessageContaining("one URL");
        assertThatThrownBy(
                        () ->
                                FastlyRequests.build(
                                        request(
                                                SelectorKind.URL,
                                                PurgeMode.HARD,
                                                new Selector.Url("/a")),
                                        NO_HOST))
                .hasMessageContaining("hosts");
    }

    static PurgeRequest request(SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return new PurgeRequest("b-1", "web", kind, mode, List.of(selectors), 1);
    }
}
