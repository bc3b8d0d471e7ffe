package dev.tagpurge.event;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.MappedSelectors;
import java.util.Set;

/**
 * The validation rules for change events that apply after mapping: selector count, tag characters,
 * target names and permission to purge everything, which a prefix reducing to a target's root needs
 * too (see {@link MappedSelectors}). Provider-specific limits (tag length per provider) are not
 * checked here; they reject a selector for one target only.
 */
public final class ChangeEventValidator {

    private final int maxSelectors;
    private final Set<String> targetNames;
    private final boolean everythingAllowed;

    public ChangeEventValidator(
            int maxSelectors, Set<String> targetNames, boolean everythingAllowed) {
        this.maxSelectors = maxSelectors;
        this.targetNames = Set.copyOf(targetNames);
        this.everythingAllowed = everythingAllowed;
    }

    public void validate(ChangeEvent event, MappedSelectors selectors)
            throws InvalidEventException {
        if (selectors.count() > maxSelectors) {
            throw new InvalidEventException(
                    InvalidReason.TOO_MANY_SELECTORS,
                    selectors.count() + " selectors exceed max-selectors " + maxSelectors);
        }
        for (String tag : selectors.tags()) {
            checkTag(tag);
        }
        for (String target : event.targets()) {
            if (!targetNames.contains(target)) {
                throw new InvalidEventException(
                        InvalidReason.UNKNOWN_TARGET,
                        "unknown target '" + target + "'; configured: " + targetNames);
            }
        }
        if (selectors.everything() && !everythingAllowed) {
            throw new InvalidEventException(
                    InvalidReason.EVERYTHING_NOT_ALLOWED, everythingCause(selectors));
        }
    }

    private static String everythingCause(MappedSelectors selectors) {
        String off =
                "purging everything from events is off"
                        + " (tagpurge.purge.everything-from-events=false)";
        if (selectors.rootPrefixes().isEmpty()) {
            return off;
        }
        String prefix = selectors.rootPrefixes().getFirst();
        // the cause travels in a Kafka header: a hostile event must not make it huge
        prefix = prefix.length() > 200 ? prefix.substring(0, 200) + "…" : prefix;
        return "prefix '" + prefix + "' reduces to a target's root, which is everything; " + off;
    }

    /** Tags are printable ASCII 33–126 without a comma. */
    static void checkTag(String tag) throws InvalidEventException {
        if (tag.isEmpty()) {
            throw new InvalidEventException(InvalidReason.INVALID_TAG, "empty tag");
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c < 33 || c > 126 || c == ',') {
                throw new InvalidEventException(
                        InvalidReason.INVALID_TAG,
                        String.format(
                                "tag has character U+%04X at index %d (allowed: printable ASCII 33-126 except comma)",
                                (int) c, i));
            }
        }
    }
}
