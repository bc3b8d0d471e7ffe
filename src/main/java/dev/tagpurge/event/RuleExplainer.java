package dev.tagpurge.event;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.mapping.MappingRule;
import dev.tagpurge.mapping.MappingTrace;
import dev.tagpurge.mapping.SelectorTemplate;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.TargetRoute;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Explains what the pipeline would do with one change event, without doing it: which rules apply
 * and what their templates render, which selectors each target would be sent (as the provider
 * receives them) and why the others are kept from it. It runs the consumer's own steps: the same
 * parser, the same mapper (with a {@link MappingTrace} that records each rule), the same validator,
 * the dispatcher's routing and each adapter's {@link Purger#rejectReason}. An event the consumer
 * would dead-letter is {@link Explanation.Invalid} with the same reason. Nothing is dispatched.
 */
@ApplicationScoped
public class RuleExplainer {

    /** One enabled target as the dispatcher routes to it. */
    public record Target(String name, Purger purger, TargetRoute route) {}

    private final EventIntake intake;
    private final List<Target> targets;

    @Inject
    public RuleExplainer(EventIntake intake, PurgeDispatcher dispatcher) {
        this(
                intake,
                dispatcher.pipelines().values().stream()
                        .map(p -> new Target(p.name(), p.purger(), dispatcher.route(p.name())))
                        .toList());
    }

    /** An explainer over given targets, in the dispatcher's order (tests). */
    RuleExplainer(EventIntake intake, List<Target> targets) {
        this.intake = intake;
        this.targets = List.copyOf(targets);
    }

    /**
     * @param value the record value, as it would be on the input topic
     * @param header the record's headers ({@code content-type}, {@code ce_*}), null when absent
     */
    public Explanation explain(byte[] value, Function<String, String> header) {
        ChangeEvent event;
        try {
            event = intake.parser().parse(value, header);
        } catch (InvalidEventException e) {
            return new Explanation.Invalid(e.reason(), e.getMessage(), fieldOf(e), List.of());
        }
        Trace trace = new Trace(event);
        MappedSelectors mapped;
        try {
            mapped = intake.mapAndValidate(event, trace);
        } catch (InvalidEventException e) {
            String field =
                    switch (e.reason()) {
                        case MISSING_TEMPLATE_FIELD -> "rules[" + trace.lastMatched() + "]";
                        default -> fieldOf(e);
                    };
            return new Explanation.Invalid(e.reason(), e.getMessage(), field, trace.rules());
        }
        PurgeMode mode = event.mode().orElse(intake.defaultMode());
        List<Selector> all = PurgeDispatcher.selectors(mapped);
        List<Explanation.Target> explained = new ArrayList<>(targets.size());
        for (Target target : targets) {
            explained.add(target(event, all, mode, target));
        }
        return new Explanation.Explained(
                event.id(),
                event.type(),
                event.source().orElse(null),
                mode.label(),
                new Explanation.Selectors(
                        event.tags(),
                        event.urls(),
                        event.prefixes(),
                        event.everything(),
                        List.of()),
                trace.rules(),
                new Explanation.Selectors(
                        mapped.tags(),
                        mapped.urls(),
                        mapped.prefixes(),
                        mapped.everything(),
                        mapped.rootPrefixes()),
                explained,
                explained.stream().allMatch(t -> t.selectors() == null && t.rejected() == null));
    }

    private static Explanation.Target target(
            ChangeEvent event, List<Selector> all, PurgeMode mode, Target target) {
        Purger purger = target.purger();
        if (!PurgeDispatcher.addresses(event, target.name())) {
            return new Explanation.Target(
                    target.name(),
                    purger.provider(),
                    "not-addressed",
                    "the event names other targets: " + event.targets(),
                    null,
                    null,
                    null);
        }
        List<Explanation.Sent> sent = new ArrayList<>();
        List<Explanation.Refused> notRouted = new ArrayList<>();
        List<Explanation.Refused> rejected = new ArrayList<>();
        for (Selector s : all) {
            if (!target.route().accepts(s)) {
                notRouted.add(refused(s, target.route().refusal(s)));
                continue;
            }
            Optional<String> reason = purger.rejectReason(s, mode);
            if (reason.isPresent()) {
                rejected.add(refused(s, reason.get()));
            } else {
                sent.add(new Explanation.Sent(s.kind().label(), s.value(), sentAs(purger, s)));
            }
        }
        String outcome;
        String skipped = null;
        if (!sent.isEmpty()) {
            outcome = "purges";
        } else if (!rejected.isEmpty()) {
            outcome = "rejected";
            skipped = "it cannot take any of the selectors it receives";
        } else {
            outcome = "not-routed";
            skipped =
                    all.isEmpty()
                            ? "the event maps to no selector"
                            : "its hosts / tag-prefixes keep every selector from it";
        }
        return new Explanation.Target(
                target.name(),
                purger.provider(),
                outcome,
                skipped,
                sent.isEmpty() ? null : sent,
                notRouted.isEmpty() ? null : notRouted,
                rejected.isEmpty() ? null : rejected);
    }

    private static String sentAs(Purger purger, Selector s) {
        try {
            return purger.sentAs(s);
        } catch (IllegalArgumentException e) {
            // rejectReason let it through, so the request builder would refuse it when sending
            return "(refused when sent: " + e.getMessage() + ")";
        }
    }

    private static Explanation.Refused refused(Selector s, String reason) {
        return new Explanation.Refused(s.kind().label(), s.value(), reason);
    }

    /** The event field a refusal is about, from its reason. */
    private static String fieldOf(InvalidEventException e) {
        return switch (e.reason()) {
            case MISSING_ID, INVALID_ID -> "id";
            case MISSING_TYPE -> "type";
            case INVALID_TAG -> "tags";
            case UNKNOWN_TARGET -> "targets";
            case EVERYTHING_NOT_ALLOWED -> "everything";
            case TOO_MANY_SELECTORS -> "selectors";
            default -> "body";
        };
    }

    /**
     * Records each rule as the mapper reports it; one per explanation, never on the consumer's
     * path.
     */
    private static final class Trace implements MappingTrace {

        private final List<Explanation.Rule> rules = new ArrayList<>();
        private List<Explanation.Rendered> current;
        private int lastMatched = -1;
        private final ChangeEvent event;

        Trace(ChangeEvent event) {
            this.event = event;
        }

        private String skipped(MappingRule rule, MappingRule.Mismatch why) {
            return switch (why) {
                case TYPE ->
                        "event type '"
                                + event.type()
                                + "' does not match the rule's type '"
                                + rule.typeGlob()
                                + "'";
                case SOURCE ->
                        "event source '"
                                + event.source().orElse("")
                                + "' does not match the rule's source '"
                                + rule.sourceGlob().orElse("")
                                + "'";
                case NO_SOURCE ->
                        "the rule needs a source matching '"
                                + rule.sourceGlob().orElse("")
                                + "' and the event has none";
            };
        }

        @Override
        public void ruleSkipped(int index, MappingRule rule, MappingRule.Mismatch why) {
            rules.add(
                    new Explanation.Rule(
                            index,
                            rule.typeGlob(),
                            rule.sourceGlob().orElse(null),
                            false,
                            skipped(rule, why),
                            null));
        }

        @Override
        public void ruleMatched(int index, MappingRule rule) {
            current = new ArrayList<>();
            lastMatched = index;
            rules.add(
                    new Explanation.Rule(
                            index,
                            rule.typeGlob(),
                            rule.sourceGlob().orElse(null),
                            true,
                            null,
                            current));
        }

        @Override
        public void rendered(SelectorKind kind, SelectorTemplate template, List<String> values) {
            current.add(new Explanation.Rendered(kind.label(), template.toString(), values));
        }

        int lastMatched() {
            return lastMatched;
        }

        List<Explanation.Rule> rules() {
            return List.copyOf(rules);
        }
    }
}
