package dev.tagpurge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Exports the input consumer group's lag as the broker sees it ({@link MetricNames#CONSUMER_LAG},
 * {@link MetricNames#CONSUMER_TOPIC_LAG}), read on a timer of its own with the Kafka Admin client,
 * independent of fetching: while backpressure pauses the consumer the Kafka client's {@code
 * records-lag} freezes, this does not. Every replica reads the whole group's lag, so queries take
 * the {@code max} over replicas, never the sum.
 *
 * <p>A failed read (broker down, timeout, missing topic) keeps the last values, counts {@link
 * MetricNames#CONSUMER_LAG_READ_FAILURES} and is logged once per outage; the timer goes on.
 */
@ApplicationScoped
public class ConsumerLagMetrics {

    private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);

    @Inject ConsumerLagConfig config;

    @Inject MeterRegistry registry;

    /** The {@code kafka.*} configuration the connector uses: brokers and security settings. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.incoming.change-events.group.id")
    String groupId;

    @ConfigProperty(name = "tagpurge.input.topics", defaultValue = "change-events")
    List<String> topics;

    private final Map<TopicPartition, AtomicLong> partitionLag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> topicLag = new ConcurrentHashMap<>();
    private Counter failures;
    private ScheduledExecutorService timer;
    private Admin admin;
    private ConsumerGroupLagReader reader;
    private boolean failing;

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        failures = registry.counter(MetricNames.CONSUMER_LAG_READ_FAILURES);
        admin = Admin.create(adminConfig());
        reader = new ConsumerGroupLagReader(admin, groupId, topics, config.timeout());
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().daemon().name("tagpurge-lag").unstarted(r));
        timer.scheduleWithFixedDelay(
                this::readOnce, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof(
                "Reading the lag of consumer group %s on %s every %s",
                groupId, topics, config.interval());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** One read; never throws, or the scheduled executor would stop calling it. */
    void readOnce() {
        try {
            publish(reader.read());
            if (failing) {
                LOG.infof("Reading the lag of consumer group %s works again", groupId);
                failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failures.increment();
            if (!failing) {
                LOG.warnf(
                        "Cannot read the lag of consumer group %s, keeping the last values: %s",
                        groupId, e.getCause() != null ? e.getCause() : e);
                failing = true;
            }
        }
    }

    /** Sets the gauges to a read's values (partitions missing from it keep theirs). */
    void publish(Map<TopicPartition, Long> lag) {
        Map<String, Long> perTopic = new HashMap<>();
        lag.forEach(
                (partition, records) -> {
                    partitionLag.computeIfAbsent(partition, this::partitionGauge).set(records);
                    perTopic.merge(partition.topic(), records, Long::sum);
                });
        perTopic.forEach(
                (topic, records) -> topicLag.computeIfAbsent(topic, this::topicGauge).set(records));
    }

    private AtomicLong partitionGauge(TopicPartition partition) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(MetricNames.CONSUMER_LAG, value, AtomicLong::get)
                .tag("topic", partition.topic())
                .tag("partition", Integer.toString(partition.partition()))
                .register(registry);
        return value;
    }

    private AtomicLong topicGauge(String topic) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(MetricNames.CONSUMER_TOPIC_LAG, value, AtomicLong::get)
                .tag("topic", topic)
                .register(registry);
        return value;
    }

    /** The connector's settings an Admin client knows (not the consumer's group.id and such). */
    private Map<String, Object> adminConfig() {
        Set<String> known = AdminClientConfig.configNames();
        Map<String, Object> admin = new HashMap<>();
        kafkaConfig.forEach(
                (key, value) -> {
                    if (known.contains(key)) {
                        admin.put(key, value);
                    }
                });
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "tagpurge-lag-" + groupId);
        admin.put(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.timeout().toMillis());
        admin.put(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) Math.min(config.timeout().toMillis(), 30_000));
        return admin;
    }
}
