package dev.tagpurge.completion;

import dev.tagpurge.config.Channels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.eclipse.microprofile.config.Config;

/**
 * Whether the compression codec of the completion producer runs on this machine. Snappy and zstd
 * are native code that their libraries unpack into {@code java.io.tmpdir} and load on first use. On
 * a machine where that fails (no writable temporary directory, an unsupported platform) the
 * producer's {@code send} would throw for every completion, and the consumer's channel would fail
 * after its retries, again after every restart. Checked once at start by compressing a few bytes,
 * so that such a service refuses to start instead, naming the key to change.
 */
public final class CompletionCodec {

    /** The completion channel's compression key. */
    public static final String KEY =
            "mp.messaging.outgoing." + Channels.COMPLETIONS + ".compression.type";

    private static final byte[] PROBE =
            "{\"specversion\":\"1.0\",\"type\":\"tagpurge.purge.completed\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private CompletionCodec() {}

    /** The codec the completion producer is configured with: its channel's, else all clients'. */
    public static String configured(Config config) {
        Optional<String> channel = config.getOptionalValue(KEY, String.class);
        return channel.or(() -> config.getOptionalValue("kafka.compression.type", String.class))
                .orElse("none");
    }

    /**
     * The configuration error for {@code codec}, naming {@link #KEY}; empty when it compresses
     * here.
     */
    public static Optional<String> check(String codec) {
        CompressionType type;
        try {
            type = CompressionType.forName(codec.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.of(
                    KEY
                            + "="
                            + codec
                            + ": not a Kafka compression type (none, gzip, snappy, lz4, zstd)");
        }
        try (OutputStream out =
                Compression.of(type)
                        .build()
                        .wrapForOutput(
                                new ByteBufferOutputStream(256), RecordBatch.CURRENT_MAGIC_VALUE)) {
            out.write(PROBE);
            return Optional.empty();
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.of(cannotRun(codec, e));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            // Snappy reports a native library it cannot load as its own Error
            return Optional.of(cannotRun(codec, e));
        }
    }

    private static String cannotRun(String codec, Throwable cause) {
        return KEY
                + "="
                + codec
                + ": its codec cannot run here ("
                + cause
                + "); use lz4 (pure Java where its native code cannot load) or none";
    }
}
