package dev.tagpurge.purge.fastly;

import dev.tagpurge.config.TargetConfig;
import java.util.List;
import java.util.Optional;

/** A {@link TargetConfig} built in code, for tests without a Quarkus configuration. */
record StubTargetConfig(
        Optional<String> baseUrl,
        Optional<String> apiToken,
        Optional<String> serviceId,
        Optional<Integer> batchSize,
        Optional<List<String>> hosts)
        implements TargetConfig {

    static StubTargetConfig fastly(String baseUrl, String serviceId, String token) {
        return new StubTargetConfig(
                Optional.ofNullable(baseUrl),
                Optional.ofNullable(token),
                Optional.ofNullable(serviceId),
                Optional.empty(),
                Optional.empty());
    }

    StubTargetConfig withHosts(String... hosts) {
        return new StubTargetConfig(
                baseUrl, apiToken, serviceId, batchSize, Optional.of(List.of(hosts)));
    }

    StubTargetConfig withBatchSize(int size) {
        return new StubTargetConfig(baseUrl, apiToken, serviceId, Optional.of(size), hosts);
    }

    @Override
    public String provider() {
        return "fastly";
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String namespace() {
        return "tagpurge:";
    }

    @Override
    public Optional<String> client() {
        return Optional.empty();
    }

    @Override
    public int maxInFlight() {
        return 4;
    }

    @Override
    public Optional<List<String>> tagPrefixes() {
        return Optional.empty();
    }
}
