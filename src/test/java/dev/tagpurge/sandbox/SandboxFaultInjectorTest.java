package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Fault decisions without HTTP. */
class SandboxFaultInjectorTest {

    @Test
    void failNextFailsExactlyThatManyRequestsThenExpires() {
        FaultInjector faults = new FaultInjector();
        faults.failNext("fastly", 503, 2);

        assertThat(IntStream.range(0, 4).mapToObj(i -> faults.decide("fastly").status()))
                .containsExactly(
                        Optional.of(503), Optional.of(503), Optional.empty(), Optional.empty());
        assertThat(faults.rules()).isEmpty();
    }

    @Test
    void faultsApplyOnlyToTheirProvider() {
        FaultInjector faults = new FaultInjector();
        faults.failAlways("fastly", 500);

        assertThat(faults.decide("cloudflare")).isEqualTo(FaultInjector.Decision.NONE);
        assertThat(faults.decide("fastly").status()).contains(500);
        assertThat(faults.decide("fastly").status()).contains(500);
    }

    @Test
    void rateFailsTheDrawnFraction() {
        // Draws 0.0, 0.1, …, 0.9: with rate 0.3 exactly the first three fail.
        AtomicInteger draw = new AtomicInteger();
        FaultInjector faults = new FaultInjector(() -> (draw.getAndIncrement() % 10) / 10.0);
        faults.failRate("fastly", 500, 0.3);

        long failed =
                IntStream.range(0, 10)
                        .filter(i -> faults.decide("fastly").status().isPresent())
                        .count();

        assertThat(failed).isEqualTo(3);
    }

    @Test
    void mixedFailuresTakeTheOutcomesInTurn() {
        // Draws alternate 0.0 (fail) and 0.5 (pass) against a rate of 0.3.
        AtomicInteger draw = new AtomicInteger();
        FaultInjector faults = new FaultInjector(() -> draw.getAndIncrement() % 2 * 0.5);
        faults.failMixed("fastly", 0.3, List.of(429, FaultInjector.HANG), Duration.ofSeconds(3));

        assertThat(IntStream.range(0, 6).mapToObj(i -> faults.decide("fastly")))
                .containsExactly(
                        new FaultInjector.Decision(Optional.of(429), Duration.ZERO),
                        FaultInjector.Decision.NONE,
                        new FaultInjector.Decision(Optional.empty(), Duration.ofSeconds(3)),
                        FaultInjector.Decision.NONE,
                        new FaultInjector.Decision(Optional.of(429), Duration.ZERO),
                        FaultInjector.Decision.NONE);
    }

    @Test
    void latencyAppliesWhileTheRuleLasts() {
        FaultInjector faults = new FaultInjector();
        faults.addLatency("fastly", Duration.ofMillis(100));

        assertThat(faults.decide("fastly"))
                .isEqualTo(new FaultInjector.Decision(Optional.empty(), Duration.ofMillis(100)));

        faults.failAlways("fastly", 503);
        faults.addLatency("fastly", Duration.ofMillis(50));
        assertThat(faults.decide("fastly"))
                .isEqualTo(new FaultInjector.Decision(Optional.of(503), Duration.ofMillis(50)));

        faults.clear();
        assertThat(faults.decide("fastly")).isEqualTo(FaultInjector.Decision.NONE);
    }

    @Test
    void adminJsonBecomesRules() {
        assertThat(SandboxAdmin.parseRule(new JsonObject("{\"status\":503,\"count\":5}")))
                .isEqualTo(FaultRule.failNext(503, 5));
        assertThat(
                        SandboxAdmin.parseRule(
                                new JsonObject("{\"status\":500,\"rate\":0.3,\"latencyMs\":100}")))
                .isEqualTo(FaultRule.failRate(500, 0.3).withLatency(Duration.ofMillis(100)));
        assertThat(SandboxAdmin.parseRule(new JsonObject("{\"status\":502}")))
                .isEqualTo(FaultRule.failAlways(502));
        assertThat(SandboxAdmin.parseRule(new JsonObject("{\"latencyMs\":20}")))
                .isEqualTo(FaultRule.latencyOnly(Duration.ofMillis(20)));
    }

    @Test
    void invalidRulesAreRefused() {
        assertThatThrownBy(
                        () ->
                                SandboxAdmin.parseRule(
                                        new JsonObject(
                                                "{\"status\":503,\"count\":1,\"rate\":0.5}")))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> SandboxAdmin.parseRule(new JsonObject("{\"status\":200}")))
                .hasMessageContaining("400-599");
        assertThatThrownBy(
                        () ->
                                SandboxAdmin.parseRule(
                                        new JsonObject("{\"status\":500,\"rate\":1.5}")))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> SandboxAdmin.parseRule(new JsonObject("{}")))
                .hasMessageContaining("status is required");
    }
}
