package dev.tagpurge.domain;

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

        /**
         * Whether this prefix covers the given URL or prefix (compared without scheme). Only plain
         * values are compared: a dot segment or a percent-escape may resolve elsewhere than its raw
         * text says ({@code /a/../x} is {@code /x}), so such a selector is never taken as covered
         * and goes out on its own, normalised by the target's adapter.
         */
        public boolean covers(Selector other) {
            if (other.kind() != SelectorKind.URL && other.kind() != SelectorKind.PREFIX) {
                return false;
            }
            if (!isPlain(value) || !isPlain(other.value())) {
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

        private static boolean isPlain(String s) {
            return s.indexOf('%') < 0
                    && s.indexOf('\\') < 0
                    && !s.contains("/./")
                    && !s.contains("/../")
                    && !s.endsWith("/.")
                    && !s.endsWith("/..");
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
