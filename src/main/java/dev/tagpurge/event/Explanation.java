package dev.tagpurge.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tagpurge.domain.InvalidReason;
import java.util.List;

/**
 * What the pipeline would do with one change event, as {@link RuleExplainer} finds it: the event is
 * valid and each rule and target says what it takes and why not, or the event is invalid and would
 * be dead-lettered.
 */
public sealed interface Explanation {

    /**
     * A valid event.
     *
     * @param mode the purge mode it would be sent with (its own, else the configured default)
     * @param explicit the selectors the event names itself, before any rule
     * @param rules every configured rule, in order, with what it rendered or why it was skipped
     * @param selectors the event's selectors after all rules: duplicates removed, a prefix that
     *     reduces to a target's root turned into everything
     * @param targets every enabled target with what it would be sent and why not the rest
     * @param unmatched whether no target receives anything: the completion event says {@code
     *     unmatched}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Explained(
            String eventId,
            String eventType,
            String eventSource,
            String mode,
            Selectors explicit,
            List<Rule> rules,
            Selectors selectors,
            List<Target> targets,
            boolean unmatched)
            implements Explanation {}

    /**
     * An event the consumer would refuse and dead-letter.
     *
     * @param reason the dead-letter reason ({@code tagpurge-reason} header)
     * @param cause the dead letter's cause ({@code tagpurge-cause} header)
     * @param field where the problem is: {@code body}, an event field such as {@code id} or {@code
     *     targets}, or {@code rules[i]} for the rule whose template failed
     * @param rules the rules examined before the event was refused (none when it did not parse)
     */
    record Invalid(InvalidReason reason, String cause, String field, List<Rule> rules)
            implements Explanation {}

    /**
     * Selectors by kind.
     *
     * @param rootPrefixes prefixes that reduce to a target's root, hence count as everything
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Selectors(
            List<String> tags,
            List<String> urls,
            List<String> prefixes,
            boolean everything,
            List<String> rootPrefixes) {}

    /**
     * One mapping rule.
     *
     * @param index its position in {@code tagpurge.rules}, from 0
     * @param matched whether it applied to the event
     * @param skipped why it did not
     * @param rendered each template it rendered and what it gave
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Rule(
            int index,
            String type,
            String source,
            boolean matched,
            String skipped,
            List<Rendered> rendered) {}

    /**
     * One template of a matched rule.
     *
     * @param kind {@code tag}, {@code url} or {@code prefix}
     * @param values what it rendered (an array placeholder gives several, an empty array none)
     */
    record Rendered(String kind, String template, List<String> values) {}

    /**
     * One target.
     *
     * @param outcome {@code purges} (it would be sent {@code selectors}), {@code rejected} (it
     *     receives selectors but can take none: the completion event says {@code rejected}), {@code
     *     not-routed} (its {@code hosts} / {@code tag-prefixes} keep every selector from it) or
     *     {@code not-addressed} (the event names other {@code targets})
     * @param skipped why it purges nothing, when it does not
     * @param selectors what it would be sent, each as the provider receives it
     * @param notRouted selectors its routing keeps from it, with why
     * @param rejected selectors it receives but cannot take, with the provider's reason
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Target(
            String target,
            String provider,
            String outcome,
            String skipped,
            List<Sent> selectors,
            List<Refused> notRouted,
            List<Refused> rejected) {}

    /**
     * A selector a target would send.
     *
     * @param kind {@code tag}, {@code url}, {@code prefix} or {@code everything}
     * @param value as the event and rules gave it
     * @param sentAs as the provider receives it (normalised, completed with the target's host)
     */
    record Sent(String kind, String value, String sentAs) {}

    /** A selector a target does not send, with why. */
    record Refused(String kind, String value, String reason) {}
}
