package dev.tagpurge.purge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the factory decides a target's Redis is a cluster. */
class RedisPurgerFactoryTest {

    @Test
    void theDefaultClientIsAClusterOnlyWhenConfiguredSo() {
        assertThat(RedisPurgerFactory.isCluster(config(Map.of()), Optional.empty())).isFalse();
        assertThat(defaultClientIsCluster("cluster")).isTrue();
        assertThat(defaultClientIsCluster("sentinel")).isFalse();
        assertThat(defaultClientIsCluster("standalone")).isFalse();
    }

    @Test
    void aNamedClientIsLookedUpByItsOwnKey() {
        SmallRyeConfig config =
                config(
                        Map.of(
                                "quarkus.redis.cache.client-type", "cluster",
                                "quarkus.redis.\"a.b\".client-type", "CLUSTER"));

        assertThat(RedisPurgerFactory.isCluster(config, Optional.of("cache"))).isTrue();
        assertThat(RedisPurgerFactory.isCluster(config, Optional.of("a.b"))).isTrue();
        assertThat(RedisPurgerFactory.isCluster(config, Optional.empty())).isFalse();
        assertThat(RedisPurgerFactory.isCluster(config, Optional.of("other"))).isFalse();
    }

    @Test
    void namespaceAndPrefixesAreMatchedLiterally() {
        RedisNamespace ns = new RedisNamespace("app[1]*:");

        assertThat(ns.tagKey("product-1")).isEqualTo("app[1]*:tag:product-1");
        assertThat(ns.everythingPattern()).isEqualTo("app\\[1\\]\\*:*");
        assertThat(ns.prefixPattern("/a?b\\")).isEqualTo("app\\[1\\]\\*:/a\\?b\\\\*");
        assertThat(ns.tagKeyPattern()).isEqualTo("app\\[1\\]\\*:tag:*");
    }

    private static boolean defaultClientIsCluster(String clientType) {
        return RedisPurgerFactory.isCluster(
                config(Map.of("quarkus.redis.client-type", clientType)), Optional.empty());
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withDefaultValues(values).build();
    }
}
