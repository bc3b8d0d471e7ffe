package dev.tagpurge.event;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What an event in flight keeps of the record it was consumed from: what its dead letter carries
 * (value, key, headers) and where it was read. One object in place of the Kafka client's record,
 * which also keeps timestamps, sizes, an {@code Optional} leader epoch and a growable header list
 * (five objects per event in flight, each copied by every young collection while the event waits).
 *
 * <p>The arrays are the consumed record's own, shared rather than copied: neither this class nor
 * its readers change them.
 */
public final class ConsumedRecord {

    private static final Header[] NO_HEADERS = {};

    private final String topic;
    private final int partition;
    private final long offset;
    private final byte[] key;
    private final byte[] value;
    private final Header[] headers;

    ConsumedRecord(
            String topic, int partition, long offset, byte[] key, byte[] value, Header[] headers) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
        this.headers = headers == null || headers.length == 0 ? NO_HEADERS : headers;
    }

    /** The parts of {@code record} a dead letter needs; a record without headers keeps no array. */
    public static ConsumedRecord of(ConsumerRecord<byte[], byte[]> record) {
        Headers h = record.headers();
        return new ConsumedRecord(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                h == null ? null : h.toArray());
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The record's key as consumed, or null. */
    public byte[] key() {
        return key;
    }

    /** The record's value as consumed, or null. */
    public byte[] value() {
        return value;
    }

    /** The record's headers in their order; empty when it had none. */
    Header[] headers() {
        return headers;
    }

    /** The last header named {@code name}, as Kafka's {@code Headers.lastHeader} reads it. */
    Header lastHeader(String name) {
        for (int i = headers.length - 1; i >= 0; i--) {
            if (headers[i].key().equals(name)) {
                return headers[i];
            }
        }
        return null;
    }

    RecordCoordinates coordinates() {
        return new RecordCoordinates(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
