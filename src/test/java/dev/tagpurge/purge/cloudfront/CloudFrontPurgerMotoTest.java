package dev.tagpurge.purge.cloudfront;

import static dev.tagpurge.purge.cloudfront.CloudFrontRequestsTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.testing.MotoServer;
import dev.tagpurge.testing.TestTargetConfig;
import dev.tagpurge.testing.TestTargets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontAsyncClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.Invalidation;
import software.amazon.awssdk.services.cloudfront.model.OriginProtocolPolicy;
import software.amazon.awssdk.services.cloudfront.model.ViewerProtocolPolicy;

/**
 * CloudFrontPurger against moto, an AWS emulator written independently of ours: the invalidations
 * go out through the real SDK, are created in a distribution moto holds, and are read back with
 * GetInvalidation. Moto reports Completed at once and does not implement CallerReference
 * idempotency, so those are covered by {@link CloudFrontPurgerSandboxTest} only.
 *
 * <p>Credentials are static test keys in the system properties {@code aws.accessKeyId} and {@code
 * aws.secretAccessKey}, which the adapter's provider chain reads first.
 */
class CloudFrontPurgerMotoTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String KEY_PROPERTY = "aws.accessKeyId";
    private static final String SECRET_PROPERTY = "aws.secretAccessKey";

    private static MotoServer moto;
    private static CloudFrontAsyncClient admin;
    private static String distributionId;
    private static SimpleMeterRegistry registry;
    private static final TestTargets TARGETS = new TestTargets();
    private static CloudFrontPurgerFactory factory;
    private static String savedKey;
    private static String savedSecret;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                MotoServer.executable().isPresent(),
                "moto_server is not on PATH, so this check against an independent CloudFront"
                        + " emulator cannot run (install it: pip install 'moto[server]')");
        moto = MotoServer.start();
        savedKey = System.getProperty(KEY_PROPERTY);
        savedSecret = System.getProperty(SECRET_PROPERTY);
        System.setProperty(KEY_PROPERTY, "testing");
        System.setProperty(SECRET_PROPERTY, "testing");
        admin =
                CloudFrontAsyncClient.builder()
                        .endpointOverride(URI.create(moto.endpoint()))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(SystemPropertyCredentialsProvider.create())
                        .httpClient(NettyNioAsyncHttpClient.create())
                        .build();
        distributionId =
                admin.createDistribution(r -> r.distributionConfig(minimalDistribution()))
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .distribution()
                        .id();
        registry = new SimpleMeterRegistry();
        factory =
                new CloudFrontPurgerFactory(
                        registry,
                        () -> TARGETS.keys(CloudFrontTargets.class, CloudFrontTargets::targets));
    }

    @AfterAll
    static void stop() {
        if (factory != null) {
            factory.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (moto != null) {
            moto.close();
            restore(KEY_PROPERTY, savedKey);
            restore(SECRET_PROPERTY, savedSecret);
        }
    }

    @Test
    void everyKindBecomesAnInvalidationMotoHoldsAndReportsCompleted() throws Exception {
        Purger purger = purger("moto-dist", distributionId);

        List<PurgeRequest> requests =
                List.of(
                        request(
                                "m-tags",
                                SelectorKind.TAG,
                                PurgeMode.HARD,
                                new Selector.Tag("product-42"),
                                new Selector.Tag("category-7")),
                        request(
                                "m-urls",
                                SelectorKind.URL,
                                PurgeMode.HARD,
                                new Selector.Url("https://shop.example.com/p/42?lang=en"),
                                new Selector.Url("/p/größe")),
                        request(
                                "m-prefixes",
                                SelectorKind.PREFIX,
                                PurgeMode.HARD,
                                new Selector.Prefix("/products/")),
                        request(
                                "m-all",
                                SelectorKind.EVERYTHING,
                                PurgeMode.SOFT,
                                new Selector.Everything()));
        List<List<String>> expectedPaths =
                List.of(
                        List.of("#product-42", "#category-7"),
                        List.of("/p/42?lang=en", "/p/gr%C3%B6%C3%9Fe"),
                        List.of("/products/*"),
                        List.of("/*"));

        for (int i = 0; i < requests.size(); i++) {
            PurgeResult result = purger.purge(requests.get(i)).await().atMost(TIMEOUT);

            assertThat(result).isInstanceOf(PurgeResult.Accepted.class);
            String id = ((PurgeResult.Accepted) result).purgeIds().getFirst();
            Invalidation stored =
                    admin.getInvalidation(r -> r.distributionId(distributionId).id(id))
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .invalidation();
            assertThat(stored.status()).isEqualToIgnoringCase("Completed");
            assertThat(stored.invalidationBatch().paths().items())
                    .containsExactlyElementsOf(expectedPaths.get(i));
            assertThat(stored.invalidationBatch().paths().quantity())
                    .isEqualTo(expectedPaths.get(i).size());
            assertThat(stored.invalidationBatch().callerReference())
                    .startsWith("tagpurge-" + requests.get(i).batchId() + "-");
        }
        assertThat(
                        admin.listInvalidations(r -> r.distributionId(distributionId))
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                .invalidationList()
                                .quantity())
                .isEqualTo(4);
        assertThat(
                        registry.get(CloudFrontMetrics.PATHS_BILLED)
                                .tag("target", "moto-dist")
                                .gauge()
                                .value())
                .isEqualTo(6.0);
        assertThat(
                        registry.get(CloudFrontMetrics.INVALIDATIONS_IN_PROGRESS)
                                .tag("target", "moto-dist")
                                .gauge()
                                .value())
                .isZero();
    }

    @Test
    void anUnknownDistributionIsAPermanentFailure() {
        Purger purger = purger("moto-missing", "ENOSUCHDIST");

        PurgeResult result =
                purger.purge(
                                request(
                                        "m-missing",
                                        SelectorKind.TAG,
                                        PurgeMode.HARD,
                                        new Selector.Tag("a")))
                        .await()
                        .atMost(TIMEOUT);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p -> assertThat(p.detail()).contains("404", "NoSuchDistribution"));
    }

    private static Purger purger(String name, String distribution) {
        return create(
                name,
                TestTargetConfig.of("cloudfront")
                        .with("distribution-id", distribution)
                        .with("base-url", moto.endpoint()));
    }

    private static DistributionConfig minimalDistribution() {
        return DistributionConfig.builder()
                .callerReference("tagpurge-test-" + System.nanoTime())
                .comment("tagpurge test")
                .enabled(true)
                .origins(
                        o ->
                                o.quantity(1)
                                        .items(
                                                origin ->
                                                        origin.id("origin")
                                                                .domainName("origin.example.com")
                                                                .customOriginConfig(
                                                                        c ->
                                                                                c.httpPort(80)
                                                                                        .httpsPort(
                                                                                                443)
                                                                                        .originProtocolPolicy(
                                                                                                OriginProtocolPolicy
                                                                                                        .HTTPS_ONLY))))
                .defaultCacheBehavior(
                        b ->
                                b.targetOriginId("origin")
                                        .viewerProtocolPolicy(ViewerProtocolPolicy.ALLOW_ALL)
                                        .forwardedValues(
                                                f ->
                                                        f.queryString(false)
                                                                .cookies(c -> c.forward("none")))
                                        .minTTL(0L))
                .build();
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static Purger create(String name, TestTargetConfig config) {
        // poll every 50 ms
        return factory.create(name, TARGETS.put(name, config.with("poll-interval", "50ms")));
    }
}
