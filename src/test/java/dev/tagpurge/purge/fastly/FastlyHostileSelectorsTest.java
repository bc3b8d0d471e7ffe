package dev.tagpurge.purge.fastly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.testing.HostileSelectors;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No event can make Fastly's request builder aim a request, which carries the {@code Fastly-Key},
 * at an API path other than the purge endpoints: every hostile URL is either refused or becomes
 * {@code POST /purge/<one percent-encoded segment>} on the configured API host.
 */
class FastlyHostileSelectorsTest {

    private static final String BASE = "https://api.fastly.com";
    private static final FastlySettings SETTINGS =
            new FastlySettings("web", BASE, "SVC1", "tok", Optional.of("www.example.com"), 256);
    // unreserved characters and escapes only: no '/', '?', '#' or bare '%' (checked per escape)
    private static final Pattern ONE_ENCODED_SEGMENT = Pattern.compile("/purge/[A-Za-z0-9._~%-]+");
    private static final Pattern BARE_PERCENT = Pattern.compile("%(?![0-9A-F]{2})");
    private static final List<String> KEY_AND_ALL =
            List.of("/service/SVC1/purge", "/service/SVC1/purge_all");

    @Test
    void everyHostileUrlIsRefusedOrPurgedAsOneEncodedSegment() {
        int sent = 0;
        for (String value : HostileSelectors.corpus(5000)) {
            Optional<FastlyCall> call = built(SelectorKind.URL, new Selector.Url(value));
            Optional<String> reason =
                    FastlyRequests.rejectReason(new Selector.Url(value), SETTINGS.defaultHost());
            assertThat(call.isPresent())
                    .as("built iff not rejected: %s", value)
                    .isEqualTo(reason.isEmpty());
            if (call.isEmpty()) {
                continue;
            }
            sent++;
            String path = call.get().path();
            assertThat(path).as(value).matches(ONE_ENCODED_SEGMENT);
            assertThat(BARE_PERCENT.matcher(path).find()).as(value).isFalse();
            assertRequestStaysOnTheApiHost(path, value);
            String segment = path.substring("/purge/".length());
            assertThat(segment).as(value).isNotIn(".", "..").doesNotContainIgnoringCase("%2e%2e");
            // what the server decodes is a canonical URL: no dot segment, nothing left to resolve
            String cachedUrl = URLDecoder.decode(segment, StandardCharsets.UTF_8);
            assertThat(NormalizedUrl.url("https://" + cachedUrl).hostPath())
                    .as(value)
                    .isEqualTo(cachedUrl);
        }
        assertThat(sent).as("the corpus also holds URLs Fastly can purge").isGreaterThan(100);
    }

    @Test
    void hostileTagsAndPrefixesNeverChangeTheApiPath() {
        for (String value : HostileSelectors.corpus(1000)) {
            built(SelectorKind.TAG, new Selector.Tag(value))
                    .ifPresent(call -> assertThat(call.path()).isIn(KEY_AND_ALL));
            assertThat(built(SelectorKind.PREFIX, new Selector.Prefix(value))).isEmpty();
        }
    }

    @Test
    void theTokenTravelsOnlyInItsHeader() {
        FastlyCall call =
                built(SelectorKind.URL, new Selector.Url("https://x/a\u00fc?b")).orElseThrow();

        assertThat(FastlyRequests.headers(call, "tok"))
                .containsEntry("Fastly-Key", "tok")
                .allSatisfy(
                        (name, v) ->
                                assertThat(name.equals("Fastly-Key") || !v.contains("tok"))
                                        .isTrue());
        assertThat(call.toString()).doesNotContain("tok");
    }

    @Test
    void theAttackOnPurgeAllIsRefused() {
        assertThat(
                        FastlyRequests.rejectReason(
                                new Selector.Url("https://x/../../service/ID/purge_all"),
                                SETTINGS.defaultHost()))
                .hasValueSatisfying(r -> assertThat(r).contains("above the root"));
        assertThat(
                        built(
                                        SelectorKind.URL,
                                        new Selector.Url("https://X/a/%2e%2e/b?q=/../purge_all#f"))
                                .orElseThrow()
                                .path())
                .isEqualTo("/purge/x%2Fb%3Fq%3D%2F..%2Fpurge_all");
    }

    private static void assertRequestStaysOnTheApiHost(String path, String value) {
        URI sent = URI.create(BASE + path);
        assertThat(sent.getHost()).as(value).isEqualTo("api.fastly.com");
        assertThat(sent.getPort()).as(value).isEqualTo(-1);
        assertThat(sent.getRawQuery()).as(value).isNull();
        assertThat(sent.getRawFragment()).as(value).isNull();
        assertThat(sent.getRawPath()).as(value).isEqualTo(path);
        assertThat(sent.normalize().getRawPath()).as(value).isEqualTo(path);
    }

    private static Optional<FastlyCall> built(SelectorKind kind, Selector selector) {
        try {
            return Optional.of(
                    FastlyRequests.build(
                            new PurgeRequest(
                                    "b-1", "web", kind, PurgeMode.HARD, List.of(selector), 1),
                            SETTINGS));
        } catch (IllegalArgumentException refused) {
            return Optional.empty();
        }
    }
}
