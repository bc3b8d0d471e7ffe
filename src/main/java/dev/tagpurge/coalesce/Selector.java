package dev.tagpurge.coalesce;

import java.util.Locale;

/**
 * What to purge: one cache tag, one URL, one prefix, or everything. Values are kept exactly as the
 * event gave them; {@link #identity(boolean)} is what deduplication compares.
 */
public sealed interface Selector {

    /** The kind of this selector, which decides how a provider batches it. */
    SelectorKind kind();

    /** The value as given (tag, URL or prefix); {@code "*"} for {@link Everything}. */
    String value();

    /**
     * The identity used for deduplication: the kind plus the value, lower-cased when the provider
     * treats tags case-insensitively.
     */
    default SelectorKey identity(boolean caseInsensitiveTags) {
        String v = value();
        if (caseInsensitiveTags && kind() == SelectorKind.TAG) {
            v = v.toLowerCase(Locale.ROOT);
        }
        return new SelectorKey(kind(), v);
    }

    /** A cache tag (surrogate key). */
    record Tag(String value) implements Selector {
        @Override
        public SelectorKind kind() {
            return SelectorKind.TAG;
        }
    }

    /** An absolute URL, or a path on the target's host. */
    record Url(String value) implements Selector {
        @Override
        public SelectorKind kind() {
            return SelectorKind.URL;
        }
    }

    /** A URL or path prefix; it covers every URL and prefix that starts with it. */
    record Prefix(String value) implements Selector {
        @Override
        public SelectorKind kind() {
            return SelectorKind.PREFIX;
        }

        /** Whether this prefix covers the given URL or prefix (compared without scheme). */
        public boolean covers(Selector other) {
            if (other.kind() != SelectorKind.URL && other.kind() != SelectorKind.PREFIX) {
                return false;
            }
            String mine = withoutScheme(value);
            String theirs = withoutScheme(other.value());
            if (mine.startsWith("/") && !theirs.startsWith("/")) {
                int slash = theirs.indexOf('/');
                theirs = slash < 0 ? "/" : theirs.substring(slash);
            }
            return theirs.startsWith(mine);
        }

        private static String withoutScheme(String s) {
            int i = s.indexOf("://");
            return i < 0 ? s : s.substring(i + 3);
        }
    }

    /** Everything the target caches. */
    record Everything() implements Selector {
        @Override
        public SelectorKind kind() {
            return SelectorKind.EVERYTHING;
        }

        @Override
        public String value() {
            return "*";
        }
    }
}
