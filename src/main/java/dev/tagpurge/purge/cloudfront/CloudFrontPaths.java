package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.coalesce.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns selectors into CloudFront invalidation paths (PROVIDERS.md): a URL becomes its path and
 * query, a prefix its path plus {@code *}, a tag {@code #<tag>}, everything {@code /*}. Pure
 * functions, so every mapping is tested without a network.
 *
 * <p>Paths are case-sensitive and compared with the cached request as CloudFront received it, so
 * they are never normalised; only what CloudFront requires encoded (non-ASCII, control and RFC 1738
 * unsafe characters) is percent-encoded, and existing escapes are kept.
 */
final class CloudFrontPaths {

    /** CloudFront's limit on one invalidation path. */
    static final int MAX_PATH_CHARS = 4000;

    /** CloudFront's limit on one cache tag. */
    static final int MAX_TAG_CHARS = 256;

    /** The path that invalidates the whole distribution. */
    static final String EVERYTHING = "/*";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    // RFC 1738 "unsafe" characters other than '%' (kept: values arrive already encoded), '#'
    // (fragments are cut off before) and '~' (unreserved since RFC 3986, caches see it raw).
    private static final String UNSAFE = " <>\"{}|\\^`[]";

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
     * The path and query of a URL: an absolute http(s) URL loses scheme, host and fragment; a path
     * must start with {@code /}. A {@code *} is refused because CloudFront would read it as a
     * wildcard.
     */
    static String urlPath(String url) {
        if (url.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "cloudfront reads * in a URL as a wildcard: purge a prefix instead");
        }
        String path;
        if (url.contains("://")) {
            path = pathOfAbsolute(url, "cloudfront URL invalidation needs an http(s) URL");
        } else if (url.startsWith("/")) {
            path = url;
        } else {
            throw new IllegalArgumentException(
                    "cloudfront URL invalidation needs an absolute URL or a path starting with /");
        }
        return encode(withoutFragment(path));
    }

    /**
     * The wildcard path of a prefix: its path part (from an absolute URL, a {@code host/path} or a
     * path) plus {@code *}.
     */
    static String prefixPath(String prefix) {
        if (prefix.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "cloudfront prefixes take no wildcard: the trailing * is added");
        }
        if (prefix.indexOf('#') >= 0) {
            throw new IllegalArgumentException("cloudfront prefixes cannot contain #");
        }
        String path;
        if (prefix.contains("://")) {
            path = pathOfAbsolute(prefix, "cloudfront prefix invalidation needs an http(s) URL");
        } else if (prefix.startsWith("/")) {
            path = prefix;
        } else if (prefix.isEmpty()) {
            throw new IllegalArgumentException("cloudfront prefixes must not be empty");
        } else {
            // host/path without a scheme, as Cloudflare prefixes are written
            int slash = prefix.indexOf('/');
            path = slash < 0 ? "/" : prefix.substring(slash);
        }
        return encode(path) + "*";
    }

    /** Percent-encodes (UTF-8) non-ASCII, control and unsafe characters; nothing else. */
    static String encode(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); ) {
            int cp = path.codePointAt(i);
            i += Character.charCount(cp);
            if (cp > 32 && cp < 127 && UNSAFE.indexOf(cp) < 0) {
                out.append((char) cp);
                continue;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static String pathOfAbsolute(String url, String message) {
        int scheme = url.indexOf("://");
        String name = url.substring(0, scheme);
        if (!(name.equalsIgnoreCase("http") || name.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(message);
        }
        String rest = url.substring(scheme + 3);
        int end = firstOf(rest, "/?#");
        if (end == 0) {
            throw new IllegalArgumentException(message + " with a host");
        }
        if (end < 0) {
            return "/";
        }
        String tail = rest.substring(end);
        return tail.startsWith("/") ? tail : "/" + tail;
    }

    private static String withoutFragment(String path) {
        int hash = path.indexOf('#');
        return hash < 0 ? path : path.substring(0, hash);
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

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
