package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ConsumedRecordTest {

    private static final byte[] KEY = {0, 7, (byte) 0xC3, 0x28, (byte) 0xFF};
    private static final byte[] VALUE = "{\"id\":\"e-1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void keepsWhatADeadLetterNeedsAsConsumed() {
        RecordHeaders headers = repeatedHeaders();

        ConsumedRecord kept = ConsumedRecord.of(record(KEY, VALUE, headers));

        assertThat(kept.topic()).isEqualTo("change-events");
        assertThat(kept.partition()).isEqualTo(3);
        assertThat(kept.offset()).isEqualTo(42L);
        assertThat(kept.key()).as("the key byte for byte, UTF-8 or not").isEqualTo(KEY);
        assertThat(kept.value()).isEqualTo(VALUE);
        assertThat(kept.headers())
                .extracting(Header::key)
                .as("every header, duplicates too, in their order")
                .containsExactly("ce_type", "origin", "ce_type");
        assertThat(kept.coordinates()).isEqualTo(new RecordCoordinates("change-events", 3, 42));
        assertThat(kept).hasToString("change-events-3@42");
    }

    @Test
    void readsTheLastHeaderOfANameAsKafkasHeadersDo() {
        RecordHeaders headers = repeatedHeaders();
        ConsumedRecord kept = ConsumedRecord.of(record(KEY, VALUE, headers));

        for (String name : new String[] {"ce_type", "origin", "absent"}) {
            assertThat(kept.lastHeader(name)).as(name).isEqualTo(headers.lastHeader(name));
        }
        assertThat(new String(kept.lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("second");
    }

    @Test
    void aRecordWithoutHeadersOrKeyKeepsNeither() {
        ConsumedRecord kept = ConsumedRecord.of(record(null, VALUE, new RecordHeaders()));
        ConsumedRecord other = ConsumedRecord.of(record(null, VALUE, new RecordHeaders()));

        assertThat(kept.key()).isNull();
        assertThat(kept.headers()).isEmpty();
        assertThat(kept.headers()).as("one shared empty array").isSameAs(other.headers());
        assertThat(kept.lastHeader("ce_type")).isNull();
    }

    private static ConsumerRecord<byte[], byte[]> record(
            byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "change-events",
                3,
                42,
                0L,
                TimestampType.CREATE_TIME,
                0,
                0,
                key,
                value,
                headers,
                Optional.empty());
    }

    /**
     * Three headers, one name twice: {@code ce_type} first, {@code origin}, {@code ce_type} second.
     */
    private static RecordHeaders repeatedHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", utf8("first"));
        headers.add("origin", utf8("upstream"));
        headers.add("ce_type", utf8("second"));
        return headers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
