package dev.tagpurge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.KafkaTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit topic's tail read back from a real broker, as at start-up. */
class AuditReplayTest {

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .findAndRegisterModules()
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static AuditRecord record(String id, String outcome, Instant at) {
        return new AuditRecord(
                id,
                at,
                "purge",
                outcome,
                202,
                "alice",
                Set.of(Roles.ADMIN),
                "oidc",
                "OPS-1",
                "a good reason here",
                "everything",
                1,
                List.of(),
                List.of("cdn"),
                null,
                "hard",
                false,
                null,
                null);
    }

    @Test
    void theLastRecordsComeBackOldestFirstAndBounded() throws Exception {
        String bootstrap = KafkaBrokerResource.bootstrapServers();
        String topic = "audit-replay-" + UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            for (int i = 0; i < 5; i++) {
                AuditRecord r = record("op-" + i, "accepted", t0.plusSeconds(i));
                kafka.send(topic, r.id(), JSON.writeValueAsString(r));
            }
            kafka.send(topic, "junk", "not json");
        }
        AuditReplay replay = new AuditReplay(bootstrap, topic, JSON);

        List<AuditRecord> all = replay.read(100, Duration.ofSeconds(20));
        assertThat(all)
                .extracting(AuditRecord::id)
                .containsExactly("op-0", "op-1", "op-2", "op-3", "op-4");
        assertThat(all.get(0).time()).isEqualTo(t0);

        assertThat(replay.read(3, Duration.ofSeconds(20)))
                .as("the last 3 records of the partition, one of them unreadable")
                .extracting(AuditRecord::id)
                .containsExactly("op-3", "op-4");
    }

    @Test
    void anAbsentTopicGivesNothing() {
        AuditReplay replay =
                new AuditReplay(
                        KafkaBrokerResource.bootstrapServers(),
                        "absent-" + UUID.randomUUID(),
                        JSON);
        assertThat(replay.read(10, Duration.ofSeconds(5))).isEmpty();
    }
}
