package dev.tagpurge.purge.redis;

/**
 * The key namespace of one Redis target ({@code tagpurge.targets.<name>.namespace}): where the tag
 * index sets live and what prefix and everything purges may touch.
 *
 * @param prefix the namespace, e.g. {@code tagpurge:}; never empty, so no purge can match the whole
 *     database
 */
record RedisNamespace(String prefix) {

    private static final String GLOB_SPECIALS = "*?[]\\";

    RedisNamespace {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("the Redis namespace must not be empty");
        }
    }

    /** The tag index set of {@code tag}: {@code <ns>tag:<tag>}. */
    String tagKey(String tag) {
        return prefix + "tag:" + tag;
    }

    /** SCAN pattern matching every tag index set. */
    String tagKeyPattern() {
        return escapeGlob(prefix + "tag:") + "*";
    }

    /**
     * SCAN pattern for a prefix purge. Prefixes are taken inside the namespace, like everything:
     * this keeps "everything subsumes a prefix" true for Redis, and no selector from an event can
     * reach keys outside what the target owns.
     */
    String prefixPattern(String keyPrefix) {
        return escapeGlob(prefix + keyPrefix) + "*";
    }

    /** SCAN pattern matching every key of the namespace. */
    String everythingPattern() {
        return escapeGlob(prefix) + "*";
    }

    /** Escapes Redis glob specials so a namespace or prefix matches only itself literally. */
    static String escapeGlob(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (GLOB_SPECIALS.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
