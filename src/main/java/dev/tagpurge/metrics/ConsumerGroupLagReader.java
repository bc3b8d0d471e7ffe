package dev.tagpurge.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag of a consumer group as the broker sees it: per partition, the log-end offset minus the
 * group's committed offset (minus the log-start offset where the group has committed nothing, as
 * the input channel starts from the earliest record). Unlike the Kafka client's {@code
 * records-lag}, which is updated only when the consumer fetches, this keeps moving while the
 * consumer is paused, which is when it matters.
 *
 * <p>Blocking: each broker call waits at most the timeout, on the caller's thread (never an event
 * loop: {@link ConsumerLagMetrics} calls it from its own timer thread).
 */
final class ConsumerGroupLagReader {

    private final Admin admin;
    private final String groupId;
    private final List<String> topics;
    private final Duration timeout;

    ConsumerGroupLagReader(Admin admin, String groupId, List<String> topics, Duration timeout) {
        this.admin = admin;
        this.groupId = groupId;
        this.topics = topics;
        this.timeout = timeout;
    }

    /** Records not yet committed by the group, per partition of the topics. */
    Map<TopicPartition, Long> read()
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions = partitions();
        Map<TopicPartition, OffsetAndMetadata> committed =
                get(
                        admin.listConsumerGroupOffsets(
                                        groupId,
                                        new ListConsumerGroupOffsetsOptions()
                                                .timeoutMs(timeoutMs()))
                                .partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> lag = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata commit = committed.get(partition);
            long from = commit != null ? commit.offset() : start.getOrDefault(partition, 0L);
            lag.put(partition, Math.max(0, end.getOrDefault(partition, from) - from));
        }
        return lag;
    }

    private List<TopicPartition> partitions()
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described =
                get(
                        admin.describeTopics(
                                        topics, new DescribeTopicsOptions().timeoutMs(timeoutMs()))
                                .allTopicNames());
        return described.values().stream()
                .flatMap(
                        d ->
                                d.partitions().stream()
                                        .map(p -> new TopicPartition(d.name(), p.partition())))
                .toList();
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(timeoutMs())).all())
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private int timeoutMs() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** The admin options' timeout bounds the broker side; this one bounds the wait itself. */
    private <T> T get(KafkaFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
