package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationRequest;
import software.amazon.awssdk.services.cloudfront.model.GetInvalidationRequest;

class CloudFrontRequestsTest {

    static final CloudFrontSettings SETTINGS =
            new CloudFrontSettings(
                    "dist",
                    "EDFDVBD6EXAMPLE",
                    Optional.empty(),
                    "us-east-1",
                    1000,
                    3000,
                    15,
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(15));

    @Test
    void tagsBecomeHashItemsOfOneInvalidation() {
        InvalidationPlan plan =
                CloudFrontRequests.plan(
                        request(
                                "b-1",
                                SelectorKind.TAG,
                                PurgeMode.HARD,
                                new Selector.Tag("product-42"),
                                new Selector.Tag("category-7")),
                        SETTINGS);

        assertThat(plan.paths()).containsExactly("#product-42", "#category-7");
        assertThat(plan.items()).isEqualTo(2);
        assertThat(plan.wildcards()).isZero();
        assertThat(plan.callerReference()).startsWith("tagpurge-b-1-");
    }

    @Test
    void withACollapseThresholdManyUrlsInOneDirectoryAreSentAsItsWildcard() {
        CloudFrontSettings collapsing =
                new CloudFrontSettings(
                        "dist",
                        "EDFDVBD6EXAMPLE",
                        Optional.empty(),
                        "us-east-1",
                        1000,
                        3000,
                        15,
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(15),
                        3,
                        Optional.empty());
        Selector[] urls =
                IntStream.range(0, 5)
                        .mapToObj(i -> new Selector.Url("https://www.example.com/shop/p/" + i))
                        .toArray(Selector[]::new);
        PurgeRequest request =
                request(
                        "b-1",
                        SelectorKind.URL,
                        PurgeMode.HARD,
                        concat(urls, new Selector.Url("/about")));

        InvalidationPlan plan = CloudFrontRequests.plan(request, collapsing);

        assertThat(plan.paths()).containsExactly("/shop/p/*", "/about");
        assertThat(plan.items()).as("billed paths").isEqualTo(2);
        assertThat(plan.wildcards()).isEqualTo(1);
        assertThat(CloudFrontRequests.plan(request, SETTINGS).paths())
                .as("off by default")
                .hasSize(6);
    }

    private static Selector[] concat(Selector[] a, Selector b) {
        Selector[] all = Arrays.copyOf(a, a.length + 1);
        all[a.length] = b;
        return all;
    }

    @Test
    void softIsSentExactlyAsHard() {
        PurgeRequest soft =
                request("b-1", SelectorKind.URL, PurgeMode.SOFT, new Selector.Url("/a"));
        PurgeRequest hard =
                request("b-1", SelectorKind.URL, PurgeMode.HARD, new Selector.Url("/a"));

        assertThat(CloudFrontRequests.plan(soft, SETTINGS))
                .isEqualTo(CloudFrontRequests.plan(hard, SETTINGS));
    }

    @Test
    void urlsSharingAPathAreSentOnce() {
        InvalidationPlan plan =
                CloudFrontRequests.plan(
                        request(
                                "b",
                                SelectorKind.URL,
                                PurgeMode.HARD,
                                new Selector.Url("https://a.example/p"),
                                new Selector.Url("https://b.example/p"),
                                new Selector.Url("/q")),
                        SETTINGS);

        assertThat(plan.paths()).containsExactly("/p", "/q");
    }

    @Test
    void prefixesAndEverythingCountAsWildcards() {
        InvalidationPlan prefixes =
                CloudFrontRequests.plan(
                        request(
                                "b",
                                SelectorKind.PREFIX,
                                PurgeMode.HARD,
                                new Selector.Prefix("/a/"),
                                new Selector.Prefix("/b/")),
                        SETTINGS);
        InvalidationPlan everything =
                CloudFrontRequests.plan(
                        request(
                                "b",
                                SelectorKind.EVERYTHING,
                                PurgeMode.SOFT,
                                new Selector.Everything()),
                        SETTINGS);

        assertThat(prefixes.paths()).containsExactly("/a/*", "/b/*");
        assertThat(prefixes.wildcards()).isEqualTo(2);
        assertThat(everything.paths()).containsExactly("/*");
        assertThat(everything.wildcards()).isEqualTo(1);
    }

    @Test
    void callerReferenceIsStableForTheSameBatchAndPathsAndDiffersOtherwise() {
        PurgeRequest first =
                request("tgt-19a-7", SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));
        PurgeRequest retry =
                new PurgeRequest(
                        "tgt-19a-7",
                        "dist",
                        SelectorKind.TAG,
                        PurgeMode.HARD,
                        List.of(new Selector.Tag("a")),
                        3);
        PurgeRequest part =
                request("tgt-19a-7", SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("b"));
        PurgeRequest other =
                request("tgt-19a-8", SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        String reference = CloudFrontRequests.plan(first, SETTINGS).callerReference();
        assertThat(CloudFrontRequests.plan(retry, SETTINGS).callerReference()).isEqualTo(reference);
        assertThat(CloudFrontRequests.plan(part, SETTINGS).callerReference())
                .isNotEqualTo(reference);
        assertThat(CloudFrontRequests.plan(other, SETTINGS).callerReference())
                .isNotEqualTo(reference);
        assertThat(reference).matches("tagpurge-tgt-19a-7-[0-9a-f]{16}");
    }

    @Test
    void oddOrLongBatchIdsAreHashedIntoTheReference() {
        String reference = CloudFrontRequests.callerReference("a b/".repeat(50), List.of("/x"));

        assertThat(reference).matches("tagpurge-[0-9a-f]{32}-[0-9a-f]{16}");
        assertThat(CloudFrontRequests.callerReference("a b/".repeat(50), List.of("/x")))
                .isEqualTo(reference);
    }

    @Test
    void theSdkRequestCarriesReferenceQuantityAndItems() {
        InvalidationPlan plan = new InvalidationPlan("ref-1", List.of("/a", "#t"), 0);

        CreateInvalidationRequest create =
                CloudFrontRequests.createRequest("EDFDVBD6EXAMPLE", plan);
        GetInvalidationRequest get =
                CloudFrontRequests.getRequest("EDFDVBD6EXAMPLE", "I2J0I21PCUYOIK");

        assertThat(create.distributionId()).isEqualTo("EDFDVBD6EXAMPLE");
        assertThat(create.invalidationBatch().callerReference()).isEqualTo("ref-1");
        assertThat(create.invalidationBatch().paths().quantity()).isEqualTo(2);
        assertThat(create.invalidationBatch().paths().items()).containsExactly("/a", "#t");
        assertThat(get.distributionId()).isEqualTo("EDFDVBD6EXAMPLE");
        assertThat(get.id()).isEqualTo("I2J0I21PCUYOIK");
    }

    @Test
    void aRequestBeyondTheLimitsIsRefusedBeforeSending() {
        Selector[] prefixes =
                IntStream.range(0, 16)
                        .mapToObj(i -> new Selector.Prefix("/p" + i + "/"))
                        .toArray(Selector[]::new);
        Selector[] tags =
                IntStream.range(0, 1001)
                        .mapToObj(i -> new Selector.Tag("t" + i))
                        .toArray(Selector[]::new);

        assertThatThrownBy(
                        () ->
                                CloudFrontRequests.plan(
                                        request("b", SelectorKind.PREFIX, PurgeMode.HARD, prefixes),
                                        SETTINGS))
                .hasMessageContaining("at most 15");
        assertThatThrownBy(
                        () ->
                                CloudFrontRequests.plan(
                                        request("b", SelectorKind.TAG, PurgeMode.HARD, tags),
                                        SETTINGS))
                .hasMessageContaining("at most 1000");
        assertThat(
                        CloudFrontRequests.plan(
                                        request(
                                                "b",
                                                SelectorKind.TAG,
                                                PurgeMode.HARD,
                                                Arrays.copyOf(tags, 1000)),
                                        SETTINGS)
                                .items())
                .isEqualTo(1000);
    }

    @Test
    void aSelectorCloudFrontCannotTakeFailsThePlan() {
        assertThatThrownBy(
                        () ->
                                CloudFrontRequests.plan(
                                        request(
                                                "b",
                                                SelectorKind.TAG,
                                                PurgeMode.HARD,
                                                new Selector.Tag("x".repeat(257))),
                                        SETTINGS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
    }

    static PurgeRequest request(
            String batchId, SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return new PurgeRequest(batchId, "dist", kind, mode, List.of(selectors), 1);
    }
}
