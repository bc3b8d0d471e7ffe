package dev.tagpurge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.SelectorKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Actor L1 = new Actor("olga", Set.of(Roles.OPERATOR), "oidc");
    private static final Actor L2 = new Actor("ada", Set.of(Roles.ADMIN), "oidc");
    private static final Actor VIEWER = new Actor("vic", Set.of(), "oidc");

    private final OperatorPolicy policy = new OperatorPolicy(3, Duration.ofMinutes(10));

    private static PurgeOrder tags(int n) {
        return new PurgeOrder(
                SelectorKind.TAG,
                Collections.nCopies(n, "t").stream().map(t -> t + Math.random()).toList(),
                List.of("cdn"),
                Optional.empty(),
                PurgeMode.HARD,
                "OPS-1",
                "a good reason here",
                false,
                Optional.empty());
    }

    private static PurgeOrder everything(String confirm, boolean dryRun) {
        return new PurgeOrder(
                SelectorKind.EVERYTHING,
                List.of(),
                List.of("cache", "cdn"),
                Optional.of("all"),
                PurgeMode.HARD,
                "OPS-1",
                "a good reason here",
                dryRun,
                Optional.ofNullable(confirm));
    }

    private Optional<Problem> refusal(PurgeOrder o, Actor a, Map<String, Instant> last) {
        return policy.refusal(o, a, last, NOW);
    }

    @Test
    void anOperatorPurgesTagsUpToTheLimitAndAnAdminBeyondIt() {
        assertThat(refusal(tags(3), L1, Map.of())).isEmpty();
        Problem over = refusal(tags(4), L1, Map.of()).orElseThrow();
        assertThat(over.status()).isEqualTo(403);
        assertThat(over.errors()).extracting(FieldError::field).containsExactly("tags");
        assertThat(refusal(tags(4), L2, Map.of())).isEmpty();
    }

    @Test
    void withoutAnOperatorRoleNothingIsAllowed() {
        assertThat(refusal(tags(1), VIEWER, Map.of()).orElseThrow().status()).isEqualTo(403);
    }

    @Test
    void everythingNeedsTheAdminRoleAndTheTargetNamesAsConfirmation() {
        assertThat(refusal(everything("cache,cdn", false), L1, Map.of()).orElseThrow().status())
                .isEqualTo(403);
        Problem unconfirmed = refusal(everything(null, false), L2, Map.of()).orElseThrow();
        assertThat(unconfirmed.status()).isEqualTo(400);
        assertThat(unconfirmed.errors()).extracting(FieldError::field).containsExactly("confirm");
        assertThat(refusal(everything("cdn,cache", false), L2, Map.of())).isPresent();
        assertThat(refusal(everything("cache,cdn", false), L2, Map.of())).isEmpty();
        assertThat(refusal(everything(null, true), L2, Map.of()))
                .as("a preview needs no confirmation")
                .isEmpty();
    }

    @Test
    void everythingWaitsOutTheCooldownOfEachTarget() {
        Map<String, Instant> last = Map.of("cdn", NOW.minus(Duration.ofMinutes(4)));
        Problem p = refusal(everything("cache,cdn", false), L2, last).orElseThrow();
        assertThat(p.status()).isEqualTo(429);
        assertThat(p.retryAfterSeconds()).isEqualTo(360);
        assertThat(p.errors().get(0).message()).contains("cdn");
        assertThat(
                        refusal(
                                everything("cache,cdn", false),
                                L2,
                                Map.of("cdn", NOW.minus(Duration.ofMinutes(10)))))
                .isEmpty();
        assertThat(refusal(tags(1), L1, last)).as("only everything has a cooldown").isEmpty();
    }
}
