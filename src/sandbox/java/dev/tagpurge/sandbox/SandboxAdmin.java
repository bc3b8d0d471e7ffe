package dev.tagpurge.sandbox;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;

/**
 * The sandbox's own HTTP API, for scripts and benchmarks that cannot call Java: {@code GET|DELETE
 * /_sandbox/purges[?provider=]}, {@code GET|POST|DELETE /_sandbox/faults} and {@code POST
 * /_sandbox/reset}.
 */
final class SandboxAdmin {

    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final Set<String> providers;
    private final Runnable reset;

    SandboxAdmin(
            PurgeRecorder recorder, FaultInjector faults, Set<String> providers, Runnable reset) {
        this.recorder = recorder;
        this.faults = faults;
        this.providers = providers;
        this.reset = reset;
    }

    void mount(Router router, String root) {
        router.get(root + "/purges").handler(this::listPurges);
        router.delete(root + "/purges")
                .handler(
                        ctx -> {
                            recorder.clear();
                            HttpReply.empty(204).send(ctx);
                        });
        router.get(root + "/faults").handler(this::listFaults);
        router.post(root + "/faults").handler(this::setFault);
        router.delete(root + "/faults").handler(this::clearFaults);
        router.post(root + "/reset")
                .handler(
                        ctx -> {
                            reset.run();
                            HttpReply.empty(204).send(ctx);
                        });
    }

    private void listPurges(RoutingContext ctx) {
        String provider = ctx.request().getParam("provider");
        JsonArray list = new JsonArray();
        (provider == null ? recorder.purges() : recorder.purges(provider))
                .forEach(purge -> list.add(purge.toJson()));
        HttpReply.json(200, list).send(ctx);
    }

    private void listFaults(RoutingContext ctx) {
        JsonObject rules = new JsonObject();
        faults.rules().forEach((provider, rule) -> rules.put(provider, rule.toJson()));
        HttpReply.json(200, rules).send(ctx);
    }

    private void clearFaults(RoutingContext ctx) {
        String provider = ctx.request().getParam("provider");
        if (provider == null) {
            faults.clear();
        } else {
            faults.clear(provider);
        }
        HttpReply.empty(204).send(ctx);
    }

    private void setFault(RoutingContext ctx) {
        try {
            JsonObject json = ctx.body().asJsonObject();
            if (json == null) {
                throw new IllegalArgumentException("a JSON object body is required");
            }
            String provider = json.getString("provider");
            if (provider == null || !providers.contains(provider)) {
                throw new IllegalArgumentException(
                        "provider must be one of " + providers + ", was " + provider);
            }
            FaultRule rule = parseRule(json);
            faults.set(provider, rule);
            HttpReply.json(201, rule.toJson().put("provider", provider)).send(ctx);
        } catch (IllegalArgumentException | ClassCastException | DecodeException e) {
            HttpReply.message(400, "error", String.valueOf(e.getMessage())).send(ctx);
        }
    }

    /**
     * {@code status} with {@code count} fails the next requests, with {@code rate} a fraction of
     * them, with neither all of them; {@code latencyMs} delays each request while the rule lasts.
     */
    static FaultRule parseRule(JsonObject json) {
        Integer status = json.getInteger("status");
        Integer count = json.getInteger("count");
        Double rate = json.getDouble("rate");
        Duration latency = Duration.ofMillis(json.getLong("latencyMs", 0L));
        if (count != null && rate != null) {
            throw new IllegalArgumentException("give count or rate, not both");
        }
        if (status == null) {
            if (count != null || rate != null || latency.isZero()) {
                throw new IllegalArgumentException(
                        "status is required unless only latencyMs is given");
            }
            return FaultRule.latencyOnly(latency);
        }
        FaultRule rule =
                count != null
                        ? FaultRule.failNext(status, count)
                        : rate != null
                                ? FaultRule.failRate(status, rate)
                                : FaultRule.failAlways(status);
        return rule.withLatency(latency);
    }
}
