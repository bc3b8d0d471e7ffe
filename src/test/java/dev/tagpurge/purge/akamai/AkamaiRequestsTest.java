package dev.tagpurge.purge.akamai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AkamaiRequestsTest {

    static final AkamaiSettings SETTINGS = settings(Optional.of("www.example.com"), 5000, 10000);
    static final AkamaiSettings NO_HOST = settings(Optional.empty(), 5000, 10000);

    @Test
    void hardTagsBecomeOneDeleteWithAnObjectsBody() {
        List<AkamaiCall> calls =
                AkamaiRequests.build(
                        request(
                                SelectorKind.TAG,
                                PurgeMode.HARD,
                                new Selector.Tag("product-1"),
                                new Selector.Tag("Product-1")),
                        SETTINGS);

        assertThat(calls).hasSize(1);
        AkamaiCall call = calls.getFirst();
        assertThat(call.path()).isEqualTo("/ccu/v3/delete/tag/production");
        assertThat(call.soft()).isFalse();
        assertThat(call.action()).isEqualTo("delete/tag");
        // Tags are case-sensitive: both spellings are purged.
        assertThat(call.jsonBody()).isEqualTo("{\"objects\":[\"product-1\",\"Product-1\"]}");
        assertThat(call.objects()).containsExactly("product-1", "Product-1");
    }

    @Test
    void softRequestsInvalidate() {
        AkamaiCall call =
                AkamaiRequests.build(
                                request(SelectorKind.TAG, PurgeMode.SOFT, new Selector.Tag("a")),
                                SETTINGS)
                        .getFirst();

        assertThat(call.path()).isEqualTo("/ccu/v3/invalidate/tag/production");
        assertThat(call.soft()).isTrue();
    }

    @Test
    void absoluteUrlsGoAsGivenAndPathsGetTheFirstHost() {
        AkamaiCall call =
                AkamaiRequests.build(
                                request(
                                        SelectorKind.URL,
                                        PurgeMode.HARD,
                                        new Selector.Url("http://shop.example.com/p/42?lang=en"),
                                        new Selector.Url("/p/43")),
                                SETTINGS)
                        .getFirst();

        assertThat(call.path()).isEqualTo("/ccu/v3/delete/url/production");
        assertThat(new JsonObject(call.jsonBody()).getJsonArray("objects").getList())
                .containsExactly(
                        "http://shop.example.com/p/42?lang=en", "https://www.example.com/p/43");
    }

    @Test
    void everythingIsTheConfiguredCpCodesAsNumbers() {
        AkamaiCall call =
                AkamaiRequests.build(
                                request(
                                        SelectorKind.EVERYTHING,
                                        PurgeMode.SOFT,
                                        new Selector.Everything()),
                                SETTINGS)
                        .getFirst();

        assertThat(call.path()).isEqualTo("/ccu/v3/invalidate/cpcode/production");
        assertThat(call.jsonBody()).isEqualTo("{\"objects\":[12345,67890]}");
        assertThat(call.objects()).containsExactly("12345", "67890");
    }

    @Test
    void rejectsWhatAkamaiCannotPurge() {
        AkamaiSettings noCpCodes =
                new AkamaiSettings(
                        "edge",
                        "https://akab-x.purge.akamaiapis.net",
                        "akab-x.purge.akamaiapis.net",
                        "",
                        "ct",
                        "cs",
                        "at",
                        "staging",
                        List.of(),
                        Optional.empty(),
                        5000,
                        10000);

        assertThat(AkamaiRequests.rejectReason(new Selector.Prefix("/p/"), SETTINGS))
                .contains("akamai has no prefix purge");
        assertThat(AkamaiRequests.rejectReason(new Selector.Everything(), noCpCodes))
                .hasValueSatisfying(r -> assertThat(r).contains("tagpurge.targets.edge.cp-codes"));
        assertThat(AkamaiRequests.rejectReason(new Selector.Url("/p/1"), NO_HOST))
                .hasValueSatisfying(r -> assertThat(r).contains("hosts"));
        assertThat(AkamaiRequests.rejectReason(new Selector.Url("//h/p"), SETTINGS)).isPresent();
        assertThat(AkamaiRequests.rejectReason(new Selector.Url("ftp://h/p"), SETTINGS))
                .isPresent();
        assertThat(AkamaiRequests.rejectReason(new Selector.Url("https://h/a%"), SETTINGS))
                .isPresent();
        assertThat(AkamaiRequests.rejectReason(new Selector.Url("https://u@h/a"), SETTINGS))
                .isPresent();
        assertThat(AkamaiRequests.rejectReason(new Selector.Url("https://h/a"), NO_HOST)).isEmpty();
        assertThat(AkamaiRequests.rejectReason(new Selector.Tag(""), SETTINGS)).isPresent();
    }

    @Test
    void tagsOver128CharactersAreRejected() {
        String tag128 = "t".repeat(128);
        // 128 characters of three UTF-8 bytes each are still 128 characters.
        String multiByte = "€".repeat(128);

        assertThat(AkamaiRequests.rejectReason(new Selector.Tag(tag128), SETTINGS)).isEmpty();
        assertThat(AkamaiRequests.rejectReason(new Selector.Tag(multiByte), SETTINGS)).isEmpty();
        assertThat(AkamaiRequests.rejectReason(new Selector.Tag(tag128 + "x"), SETTINGS))
                .contains("akamai cache tags are at most 128 characters");
        assertThatThrownBy(
                        () ->
                                AkamaiRequests.build(
                                        request(
                                                SelectorKind.TAG,
                                                PurgeMode.HARD,
                                                new Selector.Tag("ok"),
                                                new Selector.Tag(tag128 + "x")),
                                        SETTINGS))
                .hasMessageContaining("128");
    }

    @Test
    void aBatchOverTheBodyLimitIsSplitInOrderWithEveryBodyWithinIt() {
        // 30 URLs of ~4 kB: 120 kB together, so at least three calls.
        Selector[] urls =
                IntStream.range(0, 30)
                        .mapToObj(i -> new Selector.Url("/p/" + i + "/" + "x".repeat(4_000)))
                        .toArray(Selector[]::new);

        List<AkamaiCall> calls =
                AkamaiRequests.build(request(SelectorKind.URL, PurgeMode.HARD, urls), SETTINGS);

        assertThat(calls).hasSizeGreaterThanOrEqualTo(3);
        assertThat(calls)
                .allSatisfy(
                        c -> {
                            assertThat(c.bodyBytes().length)
                                    .isLessThanOrEqualTo(AkamaiRequests.MAX_BODY_BYTES);
                            assertThat(new JsonObject(c.jsonBody()).getJsonArray("objects"))
                                    .hasSize(c.objects().size());
                        });
        assertThat(calls.stream().flatMap(c -> c.objects().stream()).toList())
                .containsExactlyElementsOf(
                        IntStream.range(0, 30)
                                .mapToObj(
                                        i ->
                                                "https://www.example.com/p/"
                                                        + i
                                                        + "/"
                                                        + "x".repeat(4_000))
                                .toList());
    }

    @Test
    void aBodyExactlyAtTheLimitIsOneCallAndOneByteMoreIsTwo() {
        // {"objects":["<first>","https://h/1"]} is the two URLs plus 19 bytes.
        String second = "https://h/1";
        int firstLength = AkamaiRequests.MAX_BODY_BYTES - 19 - second.length();
        String atLimit = "https://h/" + "a".repeat(firstLength - 10);
        String overLimit = atLimit + "a";

        List<AkamaiCall> one = urlCalls(atLimit, second);
        List<AkamaiCall> two = urlCalls(overLimit, second);

        assertThat(one).hasSize(1);
        assertThat(one.getFirst().bodyBytes()).hasSize(AkamaiRequests.MAX_BODY_BYTES);
        assertThat(two).extracting(c -> c.objects().size()).containsExactly(1, 1);
        assertThat(two.getFirst().bodyBytes().length).isLessThan(AkamaiRequests.MAX_BODY_BYTES);
    }

    @Test
    void multiByteAndEscapedObjectsAreMeasuredAsSent() {
        // Each tag is 100 characters but 300 bytes in UTF-8; quotes are escaped.
        Selector[] tags =
                IntStream.range(0, 200)
                        .mapToObj(i -> new Selector.Tag(String.format("%03d", i) + "€".repeat(97)))
                        .toArray(Selector[]::new);

        List<AkamaiCall> calls =
                AkamaiRequests.build(request(SelectorKind.TAG, PurgeMode.HARD, tags), SETTINGS);

        // The window estimated 200 × 103 bytes; really they are about 60 kB.
        int estimated = Arrays.stream(tags).mapToInt(RequestLimits::bodyBytes).sum();
        assertThat(estimated).isLessThan(AkamaiRequests.MAX_ESTIMATED_BYTES);
        assertThat(calls).hasSize(2);
        assertThat(calls)
                .allSatisfy(
                        c ->
                                assertThat(c.jsonBody().getBytes(StandardCharsets.UTF_8).length)
                                        .isLessThanOrEqualTo(AkamaiRequests.MAX_BODY_BYTES));
        assertThat(
                        AkamaiRequests.build(
                                        request(
                                                SelectorKind.TAG,
                                                PurgeMode.HARD,
                                                new Selector.Tag("say \"hi\"")),
                                        SETTINGS)
                                .getFirst()
                                .jsonBody())
                .isEqualTo("{\"objects\":[\"say \\\"hi\\\"\"]}");
    }

    @Test
    void theBatchSizeCapsObjectsPerCall() {
        AkamaiSettings small = settings(Optional.empty(), 2, 2);
        Selector[] tags =
                IntStream.range(0, 5)
                        .mapToObj(i -> new Selector.Tag("t" + i))
                        .toArray(Selector[]::new);

        List<AkamaiCall> calls =
                AkamaiRequests.build(request(SelectorKind.TAG, PurgeMode.HARD, tags), small);

        assertThat(calls)
                .extracting(AkamaiCall::objects)
                .containsExactly(List.of("t0", "t1"), List.of("t2", "t3"), List.of("t4"));
    }

    @Test
    void anObjectThatCannotFitInAnyRequestIsRejected() {
        String huge = "https://h/" + "x".repeat(AkamaiRequests.MAX_BODY_BYTES);

        assertThat(AkamaiRequests.rejectReason(new Selector.Url(huge), SETTINGS))
                .hasValueSatisfying(r -> assertThat(r).contains("50000-byte request"));
    }

    @Test
    void headersCarryTheSignatureAndJson() {
        assertThat(AkamaiRequests.headers("EG1-HMAC-SHA256 x"))
                .containsEntry("Authorization", "EG1-HMAC-SHA256 x")
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Accept", "application/json");
    }

    private static List<AkamaiCall> urlCalls(String... urls) {
        Selector[] selectors = Arrays.stream(urls).map(Selector.Url::new).toArray(Selector[]::new);
        return AkamaiRequests.build(request(SelectorKind.URL, PurgeMode.HARD, selectors), SETTINGS);
    }

    static PurgeRequest request(SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return new PurgeRequest("b-1", "edge", kind, mode, List.of(selectors), 1);
    }

    static AkamaiSettings settings(Optional<String> host, int maxTags, int maxUrls) {
        return new AkamaiSettings(
                "edge",
                "https://akab-x.purge.akamaiapis.net",
                "akab-x.purge.akamaiapis.net",
                "",
                "ct",
                "cs",
                "at",
                "production",
                List.of(12345L, 67890L),
                host,
                maxTags,
                maxUrls);
    }
}
