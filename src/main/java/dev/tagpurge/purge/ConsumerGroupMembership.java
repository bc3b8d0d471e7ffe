package dev.tagpurge.purge;

import dev.tagpurge.config.TagpurgeConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How many replicas are alive: the members of the input consumer group, read with the Kafka Admin
 * client every {@code tagpurge.ratelimit.membership-refresh} on a timer thread of its own (each
 * broker call waits at most that long, never on an event loop). The rate limiters read the last
 * count when they fall back to their local share. A count older than three refreshes (broker
 * unreachable too) is unknown, and the share falls back to {@code 1/max-replicas}.
 */
@ApplicationScoped
public class ConsumerGroupMembership {

    private static final Logger LOG = Logger.getLogger(ConsumerGroupMembership.class);
    private static final int STALE_AFTER_REFRESHES = 3;

    @Inject TagpurgeConfig config;

    /** The {@code kafka.*} configuration the connector uses: brokers and security settings. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.incoming.change-events.group.id")
    String groupId;

    private ScheduledExecutorService timer;
    private volatile Admin admin;
    private volatile Duration refresh;
    private volatile int members;
    private volatile long readAtNanos;
    private int loggedMembers = -1;

    /** Starts the periodic read; idempotent. */
    void start() {
        start(config.ratelimit().membershipRefresh());
    }

    /** Starts reading every {@code refresh}, each read waiting at most that long; idempotent. */
    synchronized void start(Duration refresh) {
        if (timer != null) {
            return;
        }
        this.refresh = refresh;
        admin = Admin.create(adminConfig(refresh));
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().daemon().name("tagpurge-members").unstarted(r));
        timer.scheduleWithFixedDelay(this::readOnce, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (timer != null) {
                timer.shutdownNow();
                admin.close(Duration.ofSeconds(2));
            }
        }
    }

    /** Live members of the input group; empty when never read or the last read is too old. */
    public OptionalInt members() {
        Duration every = refresh;
        if (every == null || members < 1) {
            return OptionalInt.empty();
        }
        if (System.nanoTime() - readAtNanos > every.toNanos() * STALE_AFTER_REFRESHES) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(members);
    }

    /** One read; never throws, or the scheduled executor would stop calling it. */
    void readOnce() {
        Duration timeout = refresh;
        try {
            ConsumerGroupDescription group =
                    admin.describeConsumerGroups(
                                    List.of(groupId),
                                    new DescribeConsumerGroupsOptions()
                                            .timeoutMs((int) timeout.toMillis()))
                            .describedGroups()
                            .get(groupId)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int count = group.members().size();
            members = count;
            readAtNanos = System.nanoTime();
            if (count != loggedMembers) {
                LOG.infof("Consumer group %s has %d live member(s)", groupId, count);
                loggedMembers = count;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (loggedMembers != 0) {
                LOG.warnf(
                        "Cannot read the members of consumer group %s (%s); rate-limit fallback"
                                + " shares use tagpurge.ratelimit.max-replicas once the last count"
                                + " is older than %d refreshes",
                        groupId, e.getCause() != null ? e.getCause() : e, STALE_AFTER_REFRESHES);
                loggedMembers = 0;
            }
        }
    }

    /** The connector's settings an Admin client knows (not the consumer's group.id and such). */
    private Map<String, Object> adminConfig(Duration timeout) {
        Set<String> known = AdminClientConfig.configNames();
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach(
                (key, value) -> {
                    if (known.contains(key)) {
                        settings.put(key, value);
                    }
                });
        int millis = (int) Math.min(timeout.toMillis(), 30_000);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "tagpurge-members-" + groupId);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        return settings;
    }
}
