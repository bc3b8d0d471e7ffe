package dev.tagpurge.bench;

import dev.tagpurge.testing.ServiceProcess;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * How many requests Kafka clients sent the broker, by kind, from the clients' own counters: fetches
 * (the consumer's), produce requests (the producer's) and offset commits. A broker's CPU goes
 * largely per request, so requests per event say why two clients moving the same records cost the
 * broker differently.
 */
record BrokerRequests(double fetches, double produces, double commits) {

    /**
     * The service replicas' counters, as their {@code /q/metrics} give them (all their clients).
     */
    static BrokerRequests of(List<ServiceProcess> replicas) {
        double fetches = 0;
        double produces = 0;
        double commits = 0;
        for (ServiceProcess r : replicas) {
            String metrics = r.get("/q/metrics"); // once per replica, not once per counter
            fetches += ServiceProcess.metric(metrics, "kafka_consumer_fetch_manager_fetch_total{");
            produces += ServiceProcess.metric(metrics, "kafka_producer_request_total{");
            commits += ServiceProcess.metric(metrics, "kafka_consumer_coordinator_commit_total{");
        }
        return new BrokerRequests(fetches, produces, commits);
    }

    /** A consumer's and a producer's counters, as their {@code metrics()} give them. */
    static BrokerRequests of(
            Map<MetricName, ? extends Metric> consumer,
            Map<MetricName, ? extends Metric> producer) {
        return new BrokerRequests(
                total(consumer, "consumer-fetch-manager-metrics", "fetch-total"),
                total(producer, "producer-metrics", "request-total"),
                total(consumer, "consumer-coordinator-metrics", "commit-total"));
    }

    private static double total(
            Map<MetricName, ? extends Metric> metrics, String group, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().group().equals(group) && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    BrokerRequests since(BrokerRequests before) {
        return new BrokerRequests(
                fetches - before.fetches, produces - before.produces, commits - before.commits);
    }

    /**
     * Into {@code m}: each kind per 1,000 of {@code records}, under keys starting {@code prefix}.
     */
    void putPerThousand(Map<String, Double> m, String prefix, long records) {
        double thousands = Math.max(1, records) / 1000.0;
        m.put(prefix + "FetchesPer1k", fetches / thousands);
        m.put(prefix + "ProducesPer1k", produces / thousands);
        m.put(prefix + "CommitsPer1k", commits / thousands);
    }
}
