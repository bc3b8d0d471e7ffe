package dev.tagpurge.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompletionCodecTest {

    // every codec Kafka's producer offers compresses on this machine: the native ones (Snappy,
    // zstd) load their libraries here, as the service's start-up check makes them
    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd", " Snappy "})
    void aCodecThatRunsHereIsNoError(String codec) {
        assertThat(CompletionCodec.check(codec)).isEmpty();
    }

    @Test
    void anUnknownCodecIsRefusedNamingTheKeyAndTheChoices() {
        assertThat(CompletionCodec.check("brotli"))
                .hasValueSatisfying(
                        error ->
                                assertThat(error)
                                        .startsWith(
                                                "mp.messaging.outgoing.purge-completions"
                                                        + ".compression.type=brotli:")
                                        .contains("none, gzip, snappy, lz4, zstd"));
    }

    @Test
    void theChannelsCodecComesFirstThenAllClientsThenNone() {
        assertThat(
                        CompletionCodec.configured(
                                config(
                                        Map.of(
                                                CompletionCodec.KEY,
                                                "snappy",
                                                "kafka.compression.type",
                                                "zstd"))))
                .isEqualTo("snappy");
        assertThat(CompletionCodec.configured(config(Map.of("kafka.compression.type", "zstd"))))
                .isEqualTo("zstd");
        assertThat(CompletionCodec.configured(config(Map.of()))).isEqualTo("none");
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
