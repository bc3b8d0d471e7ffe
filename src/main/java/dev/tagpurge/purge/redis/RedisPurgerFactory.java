package dev.tagpurge.purge.redis;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.PurgerFactory;
import io.quarkus.redis.client.RedisClientName;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Builds {@link RedisPurger}s. A target uses the default Quarkus Redis client ({@code
 * quarkus.redis.hosts}), or the named one in {@code tagpurge.targets.<name>.client} ({@code
 * quarkus.redis.<client>.hosts}, which must be set at build time so Quarkus creates that client).
 * The purger is cluster-safe when that client's {@code client-type} is {@code cluster}.
 */
@ApplicationScoped
public class RedisPurgerFactory implements PurgerFactory {

    private final Instance<Redis> clients;
    private final RedisTargets targets;

    @Inject
    public RedisPurgerFactory(@Any Instance<Redis> clients, RedisTargets targets) {
        this.clients = clients;
        this.targets = targets;
    }

    @Override
    public String provider() {
        return RedisPurger.PROVIDER;
    }

    /** Redis speaks its own protocol: {@code base-url} is not used. */
    @Override
    public boolean requiresHttps() {
        return false;
    }

    /** Checks the namespace, the batch size and that the target's Redis client exists. */
    @Override
    public void validate(String name, TargetConfig config) {
        RedisTargets.Keys keys = targets.targets().get(name);
        maxTags(name, config, keys);
        client("tagpurge.targets." + name + ".", keys.client());
    }

    @Override
    public Purger create(String name, TargetConfig config) {
        String prefix = "tagpurge.targets." + name + ".";
        RedisTargets.Keys keys = targets.targets().get(name);
        int maxTags = maxTags(name, config, keys);
        Redis redis = client(prefix, keys.client());
        boolean cluster = isCluster(ConfigProvider.getConfig(), keys.client());
        return RedisPurger.create(name, redis, keys.namespace(), maxTags, cluster);
    }

    static int maxTags(String name, TargetConfig config, RedisTargets.Keys keys) {
        String prefix = "tagpurge.targets." + name + ".";
        if (keys.namespace().isEmpty()) {
            throw new IllegalArgumentException(
                    prefix
                            + "namespace must not be empty: "
                            + "an empty namespace would let an everything purge clear the whole database");
        }
        int maxTags = config.batchSize().orElse(RedisPurger.DEFAULT_MAX_TAGS);
        if (maxTags < 1 || maxTags > RedisPurger.MAX_TAGS) {
            throw new IllegalArgumentException(
                    prefix
                            + "batch-size must be between 1 and "
                            + RedisPurger.MAX_TAGS
                            + ", was "
                            + maxTags);
        }
        return maxTags;
    }

    private Redis client(String prefix, Optional<String> clientName) {
        Instance<Redis> selected =
                clientName
                        .map(c -> clients.select(RedisClientName.Literal.of(c)))
                        .orElseGet(() -> clients.select(Default.Literal.INSTANCE));
        if (!selected.isResolvable()) {
            throw new IllegalStateException(
                    clientName
                            .map(
                                    c ->
                                            prefix
                                                    + "client="
                                                    + c
                                                    + ": no Redis client of that name; configure quarkus.redis."
                                                    + quoted(c)
                                                    + ".hosts")
                            .orElse(
                                    prefix
                                            + "provider=redis needs the default Redis client; configure quarkus.redis.hosts"));
        }
        return selected.get();
    }

    /** Whether the Quarkus client is a Redis Cluster client ({@code client-type=cluster}). */
    static boolean isCluster(Config config, Optional<String> clientName) {
        String key =
                clientName
                        .map(c -> "quarkus.redis." + quoted(c) + ".client-type")
                        .orElse("quarkus.redis.client-type");
        return config.getOptionalValue(key, String.class)
                .map("cluster"::equalsIgnoreCase)
                .orElse(false);
    }

    /** Client names with dots are quoted in property names: {@code quarkus.redis."a.b".hosts}. */
    private static String quoted(String clientName) {
        return clientName.contains(".") ? '"' + clientName + '"' : clientName;
    }
}
