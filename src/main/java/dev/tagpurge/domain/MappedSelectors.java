package dev.tagpurge.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * What one change event asks to purge: its explicit fields unioned with every matching rule's.
 *
 * <p>A prefix that reduces to a target's root ({@code ""}, {@code /}, {@code /*}, {@code
 * https://example.com/}, …) is everything in all but name, so it is never kept as a prefix: it
 * moves to {@link #rootPrefixes()} and makes {@link #everything()} true, which subjects it to the
 * same permission as an explicit {@code "everything":true}.
 *
 * @param rootPrefixes the prefixes that were turned into everything, as given
 */
public record MappedSelectors(
        List<String> tags,
        List<String> urls,
        List<String> prefixes,
        boolean everything,
        List<String> rootPrefixes) {

    public MappedSelectors {
        if (!prefixes.isEmpty()) {
            List<String> kept = new ArrayList<>(prefixes.size());
            List<String> roots = new ArrayList<>(rootPrefixes);
            for (String prefix : prefixes) {
                (NormalizedUrl.isRootPrefix(prefix) ? roots : kept).add(prefix);
            }
            prefixes = kept;
            rootPrefixes = roots;
        }
        tags = List.copyOf(tags);
        urls = List.copyOf(urls);
        prefixes = List.copyOf(prefixes);
        rootPrefixes = List.copyOf(rootPrefixes);
        everything = everything || !rootPrefixes.isEmpty();
    }

    public MappedSelectors(
            List<String> tags, List<String> urls, List<String> prefixes, boolean everything) {
        this(tags, urls, prefixes, everything, List.of());
    }

    /** Selectors as given: each root prefix counts, though together they are one everything. */
    public int count() {
        int everythings = Math.max(rootPrefixes.size(), everything ? 1 : 0);
        return tags.size() + urls.size() + prefixes.size() + everythings;
    }

    public boolean isEmpty() {
        return count() == 0;
    }
}
