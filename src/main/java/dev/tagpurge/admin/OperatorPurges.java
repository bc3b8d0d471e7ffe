package dev.tagpurge.admin;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.tagpurge.completion.CompletionEvent;
import dev.tagpurge.completion.CompletionPublisher;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.domain.TargetStatus;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.purge.EventProgress;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.TargetProgress;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The operator API's work: each request is parsed, checked against the policy, then previewed or
 * executed, and audited whatever happens. Executed purges go to the dispatcher's priority lane and
 * end with a completion event ({@code source} operator). Keeps the recent purges and when
 * everything was last purged on each target; both are rebuilt from the audit topic at start-up.
 */
public final class OperatorPurges {

    private static final Logger LOG = Logger.getLogger(OperatorPurges.class);

    /** {@code type} of the change event an operator purge travels as, and of its completion. */
    public static final String EVENT_TYPE = "tagpurge.operator.purge";

    private final PurgeDispatcher dispatcher;
    private final CompletionPublisher completions;
    private final AuditLog audit;
    private final MeterRegistry registry;
    private final OperatorPolicy policy;
    private final OrderParser parser;
    private final PurgePreviews previews;
    private final int keep;
    private final Clock clock;
    private final LinkedHashMap<String, PurgeRecord> recent = new LinkedHashMap<>();
    private final Map<String, Instant> lastEverything = new HashMap<>();

    public OperatorPurges(
            PurgeDispatcher dispatcher,
            CompletionPublisher completions,
            AuditLog audit,
            MeterRegistry registry,
            OperatorConfig config,
            Clock clock) {
        this.dispatcher = dispatcher;
        this.completions = completions;
        this.audit = audit;
        this.registry = registry;
        this.policy = new OperatorPolicy(config.maxItems(), config.everythingCooldown());
        Map<String, String> providers = new HashMap<>();
        dispatcher.pipelines().forEach((name, p) -> providers.put(name, p.purger().provider()));
        this.parser = new OrderParser(providers, Pattern.compile(config.ticketPattern()));
        this.previews = new PurgePreviews(dispatcher);
        this.keep = Math.max(1, config.recent());
        this.clock = clock;
        // at 0 from the start, so that the first purge of everything is an increase the alert
        // TagpurgeEverythingPurgedRepeatedly sees (a counter born at 1 shows no increase)
        for (String target : providers.keySet()) {
            registry.counter(
                    MetricNames.OPERATOR_PURGES,
                    "target",
                    target,
                    "scope",
                    "everything",
                    "role",
                    Roles.ADMIN);
        }
    }

    /** What a request got: a preview, an accepted purge, or a problem. */
    public sealed interface Answer {}

    /** {@code dryRun}: what would happen. */
    public record Previewed(PurgePreview preview) implements Answer {}

    /** Executed: the purge as it stands. */
    public record Accepted(PurgeRecord purge) implements Answer {}

    /** Refused (invalid, forbidden or in a cooldown); nothing was sent. */
    public record Refused(Problem problem) implements Answer {}

    /** Handles one {@code POST /api/purges}. */
    public Answer submit(String body, Actor actor) {
        Instant now = clock.instant();
        if (!actor.isOperator()) {
            Problem problem =
                    Problem.forbidden(
                            "the purge-operator or purge-admin role is required", List.of());
            audit.write(refusedRecord(actor, now, Map.of(), problem));
            return new Refused(problem);
        }
        OrderParser.Parsed parsed = parser.parse(body);
        if (parsed instanceof OrderParser.Invalid invalid) {
            Problem problem = Problem.invalid(invalid.errors());
            audit.write(refusedRecord(actor, now, invalid.partial(), problem));
            return new Refused(problem);
        }
        PurgeOrder order = ((OrderParser.Valid) parsed).order();
        if (order.dryRun()) {
            Optional<Problem> refusal;
            synchronized (this) {
                refusal = policy.refusal(order, actor, Map.copyOf(lastEverything), now);
            }
            PurgePreview preview = previews.preview(order, refusal);
            audit.write(record("req-" + UUID.randomUUID(), actor, now, order, "previewed", 200));
            return new Previewed(preview);
        }
        PurgeRecord accepted;
        synchronized (this) {
            Optional<Problem> refusal = policy.refusal(order, actor, lastEverything, now);
            if (refusal.isPresent()) {
                AuditRecord refused =
                        withRefusal(
                                record("req-" + UUID.randomUUID(), actor, now, order, "refused", 0),
                                refusal.get());
                audit.write(refused);
                return new Refused(refusal.get());
            }
            if (order.everything()) {
                order.targets().forEach(t -> lastEverything.put(t, now));
            }
            accepted = newRecord("op-" + UUID.randomUUID(), actor, now, order);
            remember(accepted);
        }
        audit.write(record(accepted.id(), actor, now, order, "accepted", 202));
        for (String target : order.targets()) {
            registry.counter(
                            MetricNames.OPERATOR_PURGES,
                            "target",
                            target,
                            "scope",
                            order.field(),
                            "role",
                            actor.role())
                    .increment();
        }
        LOG.infof(
                "operator purge %s by %s (%s): %d %s on %s, ticket %s",
                accepted.id(),
                actor.name(),
                actor.role(),
                order.items(),
                order.field(),
                String.join(",", order.targets()),
                order.ticket());
        dispatcher.dispatchAhead(
                event(accepted.id(), order, now),
                order.selectors(),
                order.mode(),
                now,
                progress -> finished(accepted.id(), order, actor, progress));
        return new Accepted(get(accepted.id()).orElse(accepted));
    }

    /** One purge, if it is among the recent ones. */
    public synchronized Optional<PurgeRecord> get(String id) {
        return Optional.ofNullable(recent.get(id));
    }

    /** The most recent purges, newest first. */
    public synchronized List<PurgeRecord> recent(int limit) {
        List<PurgeRecord> all = new ArrayList<>(recent.values());
        List<PurgeRecord> out = new ArrayList<>(Math.min(limit, all.size()));
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(all.get(i));
        }
        return out;
    }

    /** When everything was last purged on each target. */
    public synchronized Map<String, Instant> lastEverything() {
        return Map.copyOf(lastEverything);
    }

    /**
     * Rebuilds the recent purges and the cooldowns from audit records read back at start-up (oldest
     * first). A purge accepted without a recorded outcome is {@code interrupted}.
     */
    public synchronized void restore(List<AuditRecord> records) {
        for (AuditRecord r : records) {
            if ("accepted".equals(r.outcome()) && r.id() != null && !recent.containsKey(r.id())) {
                remember(
                        new PurgeRecord(
                                r.id(),
                                PurgeRecord.INTERRUPTED,
                                r.time(),
                                null,
                                r.actor(),
                                r.ticket(),
                                r.reason(),
                                r.selectorKind(),
                                r.items() == null ? 0 : r.items(),
                                r.values(),
                                r.targets(),
                                r.scope(),
                                r.mode(),
                                List.of()));
                if ("everything".equals(r.selectorKind()) && r.targets() != null) {
                    r.targets()
                            .forEach(
                                    t ->
                                            lastEverything.merge(
                                                    t, r.time(), (a, b) -> a.isAfter(b) ? a : b));
                }
            } else if (r.targetOutcomes() != null && recent.containsKey(r.id())) {
                recent.put(
                        r.id(),
                        recent.get(r.id()).withOutcome(r.outcome(), r.time(), r.targetOutcomes()));
            }
        }
    }

    private void finished(String id, PurgeOrder order, Actor actor, EventProgress progress) {
        Instant now = clock.instant();
        List<PurgeRecord.TargetOutcome> outcomes = outcomes(order, progress, true);
        String status = status(outcomes);
        synchronized (this) {
            PurgeRecord r = recent.get(id);
            if (r != null) {
                recent.put(id, r.withOutcome(status, now, outcomes));
            }
        }
        AuditRecord outcome = record(id, actor, now, order, status, 0);
        audit.write(
                new AuditRecord(
                        outcome.id(),
                        outcome.time(),
                        outcome.action(),
                        outcome.outcome(),
                        null,
                        outcome.actor(),
                        outcome.roles(),
                        outcome.via(),
                        outcome.ticket(),
                        outcome.reason(),
                        outcome.selectorKind(),
                        outcome.items(),
                        outcome.values(),
                        outcome.targets(),
                        outcome.scope(),
                        outcome.mode(),
                        null,
                        null,
                        outcomes));
        CompletionEvent completion =
                new CompletionEvent(
                        id,
                        EVENT_TYPE,
                        progress.status().label(),
                        progress.receivedAt(),
                        now,
                        Math.max(0, Duration.between(progress.receivedAt(), now).toMillis()),
                        progress.targets().stream()
                                .map(
                                        t ->
                                                new CompletionEvent.TargetOutcome(
                                                        t.target(),
                                                        t.provider(),
                                                        t.status().label(),
                                                        t.selectors(),
                                                        t.requests(),
                                                        t.attempts(),
                                                        List.copyOf(t.purgeIds()),
                                                        t.error(),
                                                        t.startedAfterMs(),
                                                        t.completedAfterMs(),
                                                        estimatedSeconds(t),
                                                        null))
                                .toList(),
                        CompletionEvent.OPERATOR,
                        order.ticket(),
                        actor.name());
        // keyed by its event id, which is the purge's id
        completions
                .publish(completion, null)
                .subscribe()
                .with(
                        ok -> {},
                        failure ->
                                LOG.errorf(
                                        "operator purge %s: completion event not written: %s",
                                        id, failure.toString()));
    }

    /** Each target's part; before the end, targets are {@code accepted}. */
    private List<PurgeRecord.TargetOutcome> outcomes(
            PurgeOrder order, EventProgress progress, boolean done) {
        Map<String, TargetProgress> byTarget =
                progress == null
                        ? Map.of()
                        : progress.targets().stream()
                                .collect(Collectors.toMap(TargetProgress::target, t -> t));
        List<PurgeRecord.TargetOutcome> out = new ArrayList<>();
        for (String target : order.targets()) {
            TargetProgress t = byTarget.get(target);
            String provider =
                    dispatcher.pipelines().containsKey(target)
                            ? dispatcher.pipelines().get(target).purger().provider()
                            : null;
            if (!done) {
                out.add(
                        new PurgeRecord.TargetOutcome(
                                target,
                                provider,
                                PurgeRecord.ACCEPTED,
                                null,
                                null,
                                null,
                                null,
                                "cloudfront".equals(provider) ? "InProgress" : null,
                                null,
                                null,
                                null));
            } else if (t == null) {
                out.add(
                        new PurgeRecord.TargetOutcome(
                                target,
                                provider,
                                "skipped",
                                0,
                                0,
                                0,
                                List.of(),
                                null,
                                "its hosts or tag-prefixes route none of the selectors to it",
                                null,
                                null));
            } else {
                boolean ok = t.status() == TargetStatus.SUCCEEDED;
                out.add(
                        new PurgeRecord.TargetOutcome(
                                target,
                                provider,
                                t.status().label(),
                                t.selectors(),
                                t.requests(),
                                t.attempts(),
                                List.copyOf(t.purgeIds()),
                                "cloudfront".equals(provider)
                                        ? (ok ? "Completed" : "not completed")
                                        : null,
                                t.error(),
                                t.completedAt(),
                                estimatedSeconds(t)));
            }
        }
        return out;
    }

    /** The provider's propagation estimate (Akamai), null when it gave none. */
    static Long estimatedSeconds(TargetProgress t) {
        return t.estimatedSeconds().isPresent() ? t.estimatedSeconds().getAsLong() : null;
    }

    /**
     * {@code succeeded} when every target that received a selector succeeded, {@code failed} when
     * none did (or none received any), else {@code partial}; skipped targets do not count.
     */
    static String status(List<PurgeRecord.TargetOutcome> outcomes) {
        List<PurgeRecord.TargetOutcome> sent =
                outcomes.stream().filter(o -> !"skipped".equals(o.status())).toList();
        long ok = sent.stream().filter(o -> "succeeded".equals(o.status())).count();
        if (ok > 0 && ok == sent.size()) {
            return "succeeded";
        }
        return ok == 0 ? "failed" : "partial";
    }

    private PurgeRecord newRecord(String id, Actor actor, Instant now, PurgeOrder order) {
        return new PurgeRecord(
                id,
                PurgeRecord.ACCEPTED,
                now,
                null,
                actor.name(),
                order.ticket(),
                order.reason(),
                order.field(),
                order.items(),
                AuditRecord.firstValues(order.values()),
                order.targets(),
                order.scope().orElse(null),
                order.mode().label(),
                outcomes(order, null, false));
    }

    private void remember(PurgeRecord r) {
        recent.put(r.id(), r);
        while (recent.size() > keep) {
            recent.remove(recent.keySet().iterator().next());
        }
    }

    private static ChangeEvent event(String id, PurgeOrder order, Instant now) {
        var s = order.selectors();
        return new ChangeEvent(
                id,
                EVENT_TYPE,
                Optional.of(CompletionEvent.OPERATOR),
                Optional.of(now),
                Optional.of(order.ticket()),
                s.tags(),
                s.urls(),
                s.prefixes(),
                order.kind() == SelectorKind.EVERYTHING,
                Optional.of(order.mode()),
                order.targets(),
                NullNode.getInstance());
    }

    private static AuditRecord record(
            String id, Actor actor, Instant now, PurgeOrder order, String outcome, int status) {
        return new AuditRecord(
                id,
                now,
                order.dryRun() ? "preview" : "purge",
                outcome,
                status == 0 ? null : status,
                actor.name(),
                actor.sortedRoles(),
                actor.via(),
                order.ticket(),
                order.reason(),
                order.field(),
                order.items(),
                AuditRecord.firstValues(order.values()),
                order.targets(),
                order.scope().orElse(null),
                order.mode().label(),
                order.dryRun(),
                null,
                null);
    }

    private static AuditRecord withRefusal(AuditRecord r, Problem problem) {
        return new AuditRecord(
                r.id(),
                r.time(),
                r.action(),
                r.outcome(),
                problem.status(),
                r.actor(),
                r.roles(),
                r.via(),
                r.ticket(),
                r.reason(),
                r.selectorKind(),
                r.items(),
                r.values(),
                r.targets(),
                r.scope(),
                r.mode(),
                r.dryRun(),
                problem,
                null);
    }

    @SuppressWarnings("unchecked")
    private static AuditRecord refusedRecord(
            Actor actor, Instant now, Map<String, Object> partial, Problem problem) {
        String kind = null;
        List<String> values = null;
        for (String f : List.of("tags", "urls", "prefixes")) {
            if (partial.get(f) instanceof List<?> l) {
                kind = f;
                values = AuditRecord.firstValues((List<String>) l);
            }
        }
        if (kind == null && Boolean.TRUE.equals(partial.get("everything"))) {
            kind = "everything";
        }
        Object dry = partial.get("dryRun");
        return new AuditRecord(
                "req-" + UUID.randomUUID(),
                now,
                Boolean.TRUE.equals(dry) ? "preview" : "purge",
                "refused",
                problem.status(),
                actor.name(),
                actor.sortedRoles(),
                actor.via(),
                (String) partial.get("ticket"),
                (String) partial.get("reason"),
                kind,
                values == null ? null : values.size(),
                values,
                partial.get("targets") instanceof List<?> t ? (List<String>) t : null,
                (String) partial.get("scope"),
                null,
                dry instanceof Boolean b ? b : null,
                problem,
                null);
    }

    /** Unused roles are left out of records: only the operator roles matter here. */
    static Set<String> operatorRoles(Set<String> roles) {
        return roles.stream()
                .filter(r -> r.equals(Roles.OPERATOR) || r.equals(Roles.ADMIN))
                .collect(Collectors.toSet());
    }
}
