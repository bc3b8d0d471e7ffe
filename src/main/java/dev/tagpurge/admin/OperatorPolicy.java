package dev.tagpurge.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may purge what. A {@code purge-operator} (L1) may purge tags, URLs and prefixes, up to {@code
 * max-items} at once. A {@code purge-admin} (L2) may also purge everything and more items.
 * Everything further needs {@code confirm} equal to the target names it wipes (sorted,
 * comma-separated) and is refused on a target where everything was purged less than {@code
 * everything-cooldown} ago, whoever asks. Pure: the caller passes the time and the last purges.
 */
public final class OperatorPolicy {

    private final int maxItems;
    private final Duration cooldown;

    public OperatorPolicy(int maxItems, Duration cooldown) {
        this.maxItems = maxItems;
        this.cooldown = cooldown;
    }

    /**
     * Why {@code actor} may not have {@code order} executed now, or empty when it may.
     *
     * @param lastEverything when everything was last purged, by target
     */
    public Optional<Problem> refusal(
            PurgeOrder order, Actor actor, Map<String, Instant> lastEverything, Instant now) {
        if (!actor.isOperator()) {
            return Optional.of(
                    Problem.forbidden(
                            "the purge-operator or purge-admin role is required", List.of()));
        }
        if (order.everything() && !actor.isAdmin()) {
            return Optional.of(
                    Problem.forbidden(
                            "purging everything needs the purge-admin role",
                            List.of(new FieldError("everything", "needs the purge-admin role"))));
        }
        if (order.items() > maxItems && !actor.isAdmin()) {
            return Optional.of(
                    Problem.forbidden(
                            order.items()
                                    + " items is more than a purge-operator may purge at once ("
                                    + maxItems
                                    + "); split the request or ask a purge-admin",
                            List.of(
                                    new FieldError(
                                            order.field(),
                                            "at most " + maxItems + " for purge-operator"))));
        }
        if (order.everything() && !order.dryRun()) {
            String expected = order.expectedConfirm();
            if (!order.confirm().map(expected::equals).orElse(false)) {
                return Optional.of(
                        Problem.invalid(
                                List.of(
                                        new FieldError(
                                                "confirm",
                                                "purging everything needs confirm equal to the"
                                                        + " target names it wipes: \""
                                                        + expected
                                                        + "\""))));
            }
        }
        if (order.everything()) {
            return cooldown(order, lastEverything, now);
        }
        return Optional.empty();
    }

    private Optional<Problem> cooldown(
            PurgeOrder order, Map<String, Instant> lastEverything, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (String target : order.targets()) {
            Instant last = lastEverything.get(target);
            if (last == null) {
                continue;
            }
            Duration left = Duration.between(now, last.plus(cooldown));
            if (left.isPositive()) {
                errors.add(
                        new FieldError(
                                "targets",
                                "everything was purged on "
                                        + target
                                        + " at "
                                        + last
                                        + "; again from "
                                        + last.plus(cooldown)));
                longest = left.compareTo(longest) > 0 ? left : longest;
            }
        }
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        long seconds = Math.max(1, (longest.toMillis() + 999) / 1000);
        return Optional.of(
                Problem.cooldown(
                        "everything may be purged on a target once per "
                                + cooldown
                                + "; try again in "
                                + seconds
                                + " s",
                        errors,
                        seconds));
    }
}
