package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.Selector;
import java.util.Optional;

/**
 * Turns selectors into CloudFront invalidation paths: a URL becomes its path and query, a prefix
 * its path plus {@code *}, a tag {@code #<tag>}, everything {@code /*}. Pure functions, so every
 * mapping is tested without a network.
 *
 * <p>Paths are case-sensitive, so {@link NormalizedUrl} keeps their case; it resolves dot segments
 * (CloudFront caches the resolved path), percent-encodes non-ASCII, spaces and other characters a
 * URI does not allow, and keeps valid escapes.
 */
final class CloudFrontPaths {

    /** CloudFront's limit on one invalidation path. */
    static final int MAX_PATH_CHARS = 4000;

    /** CloudFront's limit on one cache tag. */
    static final int MAX_TAG_CHARS = 256;

    /** The path that invalidates the whole distribution. */
    static final String EVERYTHING = "/*";

    private CloudFrontPaths() {}

    /** Why CloudFront cannot invalidate this selector, or empty when it can. */
    static Optional<String> rejectReason(Selector selector) {
        try {
            path(selector);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The invalidation path (or {@code #tag} item) of one selector.
     *
     * @throws IllegalArgumentException saying why CloudFront cannot take the selector
     */
    static String path(Selector selector) {
        return switch (selector) {
            case Selector.Tag tag -> tagItem(tag.value());
            case Selector.Url url -> checkedLength(urlPath(url.value()));
            case Selector.Prefix prefix -> checkedLength(prefixPath(prefix.value()));
            case Selector.Everything everything -> EVERYTHING;
        };
    }

    /** Whether an item counts against the wildcard budget: a path ending in {@code *}. */
    static boolean isWildcard(String item) {
        return !item.startsWith("#") && item.endsWith("*");
    }

    /** {@code #<tag>}; tags are ASCII 33–126 without comma or wildcard, at most 256 chars. */
    static String tagItem(String tag) {
        if (tag.isEmpty() || tag.length() > MAX_TAG_CHARS) {
            throw new IllegalArgumentException(
                    "cloudfront cache tags are 1 to " + MAX_TAG_CHARS + " characters");
        }
        if (tag.indexOf('*') >= 0) {
            throw new IllegalArgumentException("cloudfront cache tags cannot contain a wildcard");
        }
        if (tag.chars().anyMatch(c -> c < 33 || c > 126 || c == ',')) {
            throw new IllegalArgumentException(
                    "cloudfront cache tags are printable ASCII without comma");
        }
        return "#" + tag;
    }

    /**
     * The normalised path and query of a URL (scheme, host and fragment dropped). A {@code *} is
     * refused because CloudFront would read it as a wildcard.
     */
    static String urlPath(String url) {
        if (url.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "cloudfront reads * in a URL as a wildcard: purge a prefix instead");
        }
        return normalized(url, false).pathAndQuery();
    }

    /**
     * The wildcard path of a prefix: its normalised path part (from an absolute URL, a {@code
     * host/path} or a path) plus {@code *}, so {@code *} is only ever the last character. A prefix
     * of the root would be {@code /*}, everything: that is refused, never sent as a prefix.
     */
    static String prefixPath(String prefix) {
        if (prefix.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "cloudfront prefixes take no wildcard: the trailing * is added");
        }
        NormalizedUrl normalized = normalized(prefix, true);
        if (normalized.isRoot()) {
            throw new IllegalArgumentException(
                    "cloudfront prefix reduces to the root (/*); purge everything instead");
        }
        return normalized.pathAndQuery() + "*";
    }

    private static NormalizedUrl normalized(String value, boolean prefix) {
        try {
            return prefix ? NormalizedUrl.prefix(value) : NormalizedUrl.url(value);
        } catch (IllegalArgumentException e) {
            String what = prefix ? "prefix" : "URL";
            throw new IllegalArgumentException(
                    "cloudfront " + what + " invalidation: " + e.getMessage(), e);
        }
    }

    private static String checkedLength(String path) {
        if (path.length() > MAX_PATH_CHARS) {
            throw new IllegalArgumentException(
                    "cloudfront invalidation paths are at most "
                            + MAX_PATH_CHARS
                            + " characters once encoded");
        }
        return path;
    }
}
