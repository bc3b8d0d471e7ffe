package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.PurgerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontAsyncClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontAsyncClientBuilder;

/**
 * Creates {@link CloudFrontPurger}s for targets with {@code provider=cloudfront}: one {@link
 * CloudFrontAsyncClient} per target (its own region and endpoint), all on one Netty HTTP client.
 *
 * <p>Keys: {@code distribution-id} (required), {@code region} (default us-east-1: CloudFront is
 * global and signs there), {@code base-url} (the SDK's endpoint override), {@code batch-size}
 * (paths per invalidation, default 1000), and from {@link CloudFrontTargets}: {@code poll-interval}
 * (5s), {@code completion-timeout} (15m), {@code max-paths-in-progress} (3000), {@code
 * max-wildcards-in-progress} (15), {@code wildcard-collapse-threshold} (off), {@code
 * monthly-budget-usd} (none).
 *
 * <p>Credentials come from the SDK's default provider chain (system properties {@code
 * aws.accessKeyId}/{@code aws.secretAccessKey}, environment {@code AWS_ACCESS_KEY_ID}/{@code
 * AWS_SECRET_ACCESS_KEY}, profile, web identity, container or instance role). When {@code base-url}
 * points at this machine (the CDN sandbox, moto) only the system properties and the environment are
 * read, and without them the fixed dummy credentials {@value #SANDBOX_KEY} are used: an emulator
 * checks no signature, and real profile or instance credentials are never sent to it.
 *
 * <p>Paths billed this month are counted per distribution in the default Redis client ({@code
 * quarkus.redis.hosts}), shared by every replica ({@link MonthlyPathCount}); while it does not
 * answer, each replica counts its own and says so.
 *
 * <p>The SDK retries nothing: the pipeline owns retries, backoff and the deadline.
 */
@ApplicationScoped
public class CloudFrontPurgerFactory implements PurgerFactory {

    /** The provider name, as in {@code tagpurge.targets.<name>.provider}. */
    public static final String PROVIDER = "cloudfront";

    /** Access key id and secret of the dummy credentials used against a loopback endpoint. */
    public static final String SANDBOX_KEY = "tagpurge-sandbox";

    // Several targets, up to max-in-flight creations and their polls share the Netty pool.
    private static final int MAX_CONCURRENCY = 128;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final CloudFrontTargets targets;
    private final Optional<Redis> redis;
    private final List<CloudFrontAsyncClient> clients = new ArrayList<>();
    private SdkAsyncHttpClient httpClient;
    private DefaultCredentialsProvider defaultCredentials;

    /**
     * A factory reading CloudFront's own keys from {@code targets}, counting the paths billed each
     * month in the default Redis client ({@code quarkus.redis.hosts}) when there is one.
     */
    @Inject
    public CloudFrontPurgerFactory(
            MeterRegistry registry, CloudFrontTargets targets, @Any Instance<Redis> redisClients) {
        this(registry, targets, defaultClient(redisClients));
    }

    /** A factory counting the paths billed each month on this replica alone. */
    public CloudFrontPurgerFactory(MeterRegistry registry, CloudFrontTargets targets) {
        this(registry, targets, Optional.empty());
    }

    /** A factory counting the paths billed each month in {@code redis}, when present. */
    public CloudFrontPurgerFactory(
            MeterRegistry registry, CloudFrontTargets targets, Optional<Redis> redis) {
        this.registry = registry;
        this.targets = targets;
        this.redis = redis;
    }

    private static Optional<Redis> defaultClient(Instance<Redis> clients) {
        Instance<Redis> selected = clients.select(Default.Literal.INSTANCE);
        return selected.isResolvable() ? Optional.of(selected.get()) : Optional.empty();
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Checks target {@code name}'s keys as {@link #create} reads them. */
    @Override
    public void validate(String name, TargetConfig config) {
        settings(name, config);
    }

    /**
     * Builds the adapter for target {@code name}.
     *
     * @throws IllegalArgumentException naming the key ({@code
     *     tagpurge.targets.<name>.distribution-id}, {@code …base-url}, {@code …batch-size}, {@code
     *     …poll-interval}, …) that is missing or invalid
     */
    @Override
    public Purger create(String name, TargetConfig config) {
        CloudFrontSettings settings = settings(name, config);
        return CloudFrontPurger.create(settings, client(settings), registry, redis);
    }

    private CloudFrontSettings settings(String name, TargetConfig config) {
        return CloudFrontSettings.from(name, config, targets.targets().get(name));
    }

    private synchronized CloudFrontAsyncClient client(CloudFrontSettings settings) {
        CloudFrontAsyncClientBuilder builder =
                CloudFrontAsyncClient.builder()
                        .httpClient(httpClient())
                        .region(Region.of(settings.region()))
                        .credentialsProvider(credentials(settings))
                        .overrideConfiguration(
                                o ->
                                        o.retryStrategy(AwsRetryStrategy.doNotRetry())
                                                .apiCallTimeout(API_CALL_TIMEOUT));
        settings.endpoint().ifPresent(builder::endpointOverride);
        CloudFrontAsyncClient client = builder.build();
        clients.add(client);
        return client;
    }

    private AwsCredentialsProvider credentials(CloudFrontSettings settings) {
        if (settings.loopbackEndpoint()) {
            return AwsCredentialsProviderChain.builder()
                    .credentialsProviders(
                            SystemPropertyCredentialsProvider.create(),
                            EnvironmentVariableCredentialsProvider.create(),
                            StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create(SANDBOX_KEY, SANDBOX_KEY)))
                    .reuseLastProviderEnabled(false)
                    .build();
        }
        if (defaultCredentials == null) {
            defaultCredentials = DefaultCredentialsProvider.builder().build();
        }
        return defaultCredentials;
    }

    private SdkAsyncHttpClient httpClient() {
        if (httpClient == null) {
            httpClient =
                    NettyNioAsyncHttpClient.builder()
                            .maxConcurrency(MAX_CONCURRENCY)
                            .connectionTimeout(CONNECT_TIMEOUT)
                            .build();
        }
        return httpClient;
    }

    /** Closes every client, then the shared HTTP client and credentials provider. */
    @PreDestroy
    public synchronized void close() {
        clients.forEach(CloudFrontAsyncClient::close);
        clients.clear();
        if (httpClient != null) {
            httpClient.close();
            httpClient = null;
        }
        if (defaultCredentials != null) {
            defaultCredentials.close();
            defaultCredentials = null;
        }
    }
}
