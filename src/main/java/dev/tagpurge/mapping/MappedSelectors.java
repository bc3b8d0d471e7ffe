package dev.tagpurge.mapping;

import java.util.List;

/** What one change event asks to purge: its explicit fields unioned with every matching rule's. */
public record MappedSelectors(
        List<String> tags, List<String> urls, List<String> prefixes, boolean everything) {

    public int count() {
        return tags.size() + urls.size() + prefixes.size() + (everything ? 1 : 0);
    }

    public boolean isEmpty() {
        return count() == 0;
    }
}
