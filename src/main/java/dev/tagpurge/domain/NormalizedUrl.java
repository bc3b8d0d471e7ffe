package dev.tagpurge.domain;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL or prefix selector parsed and normalised once, so that every provider adapter sends the
 * same canonical form and no event can smuggle path structure into a provider's API: scheme and
 * host lower-cased, the default port dropped, percent-escapes of unreserved characters decoded (so
 * {@code %2e} is a dot), dot segments resolved, and every character a URI does not allow in a path
 * or query percent-encoded (UTF-8). Refused, with the reason as message: schemes other than
 * http(s), user information, a host that does not parse, control characters (CR, LF, …), invalid
 * percent-escapes and a path that climbs above the root. A URL's fragment is dropped (it never
 * reaches a cache); a prefix may not hold one.
 *
 * @param scheme {@code http} or {@code https}; empty for a path or a {@code host/path} prefix
 * @param authority {@code host[:port]}, lower-case; empty for a path
 * @param path the normalised, percent-encoded path, starting with {@code /}
 * @param query the percent-encoded query without {@code ?}, if there was a {@code ?}
 */
public record NormalizedUrl(
        Optional<String> scheme, Optional<String> authority, String path, Optional<String> query) {

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");
    private static final String UNRESERVED_MARKS = "-._~";
    // RFC 3986 pchar without unreserved and '%': sub-delims, ':' and '@', plus the separator.
    private static final String PATH_CHARS = "!$&'()*+,;=:@/";
    private static final String QUERY_CHARS = PATH_CHARS + "?";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * A URL selector: an absolute http(s) URL or a path starting with {@code /}.
     *
     * @throws IllegalArgumentException saying why the value is not a URL that can be purged
     */
    public static NormalizedUrl url(String raw) {
        return parse(raw, false);
    }

    /**
     * A prefix selector: an absolute http(s) URL, a path starting with {@code /}, or {@code
     * host/path} without a scheme. A prefix may not end in a dot segment, since {@code /a/.} as a
     * literal prefix covers {@code /a/.b} and resolved it would cover all of {@code /a/}.
     *
     * @throws IllegalArgumentException saying why the value is not a prefix that can be purged
     */
    public static NormalizedUrl prefix(String raw) {
        return parse(raw, true);
    }

    /**
     * Whether a prefix reduces to the root of a target, which makes it "everything" in all but
     * name: empty or blank, only slashes and wildcards ({@code /}, {@code *}, {@code /*}), or a
     * bare host with at most such a path ({@code https://example.com/}, {@code example.com}). A
     * bare host without a scheme counts only when it looks like one (a dot or an IP literal), so
     * that key prefixes such as {@code product} stay prefixes.
     */
    public static boolean isRootPrefix(String raw) {
        String s = raw.strip();
        if (s.chars().allMatch(c -> c == '/' || c == '*')) {
            return true;
        }
        NormalizedUrl prefix;
        try {
            prefix = prefix(s);
        } catch (IllegalArgumentException notAPrefix) {
            return false;
        }
        boolean hostLike =
                prefix.scheme().isPresent()
                        || prefix.authority()
                                .map(a -> a.contains(".") || a.startsWith("["))
                                .orElse(true);
        return prefix.isRoot() && hostLike;
    }

    /**
     * The lower-cased host (without port) of an absolute http(s) URL or a {@code host/path} prefix;
     * empty for a path and for anything whose scheme or host does not parse.
     */
    public static Optional<String> hostOf(String raw) {
        String s = raw.strip();
        if (s.startsWith("/")) {
            return Optional.empty();
        }
        Matcher m = SCHEME.matcher(s);
        boolean absolute = m.lookingAt();
        String scheme = absolute ? m.group(1).toLowerCase(Locale.ROOT) : "https";
        String rest = absolute ? s.substring(m.end()) : s;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        int end = firstOf(rest, "/?#");
        try {
            String authority = end < 0 ? rest : rest.substring(0, end);
            return Optional.of(server(authority).getHost().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the path is only slashes and wildcards and there is no query: the whole host. */
    public boolean isRoot() {
        return query.isEmpty() && path.chars().allMatch(c -> c == '/' || c == '*');
    }

    /** The path with {@code ?query} when there is one. */
    public String pathAndQuery() {
        return path + query.map(q -> "?" + q).orElse("");
    }

    /** {@code host[:port]/path?query}; only for a value with a host. */
    public String hostPath() {
        return authority.orElseThrow() + pathAndQuery();
    }

    /** The absolute URL, {@code https} when no scheme was given; only for a value with a host. */
    public String absolute() {
        return scheme.orElse("https") + "://" + hostPath();
    }

    /**
     * This value with {@code host} (a target's configured host) as its authority when it has none.
     *
     * @throws IllegalArgumentException when {@code host} is not a host
     */
    public NormalizedUrl onHost(String host) {
        if (authority.isPresent()) {
            return this;
        }
        return new NormalizedUrl(scheme, Optional.of(authority(host, "https")), path, query);
    }

    private static NormalizedUrl parse(String raw, boolean prefix) {
        String s = checked(raw, prefix);
        Optional<String> scheme = scheme(s, prefix);
        String rest = scheme.isPresent() ? s.substring(s.indexOf("://") + 3) : s;
        Optional<String> authority = Optional.empty();
        if (scheme.isPresent() || !rest.startsWith("/")) {
            int end = firstOf(rest, "/?");
            String rawAuthority = end < 0 ? rest : rest.substring(0, end);
            authority = Optional.of(authority(rawAuthority, scheme.orElse("")));
            rest = end < 0 ? "" : rest.substring(end);
        }
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        String path = encode(rawPath.isEmpty() ? "/" : rawPath, PATH_CHARS);
        Optional<String> query =
                q < 0 ? Optional.empty() : Optional.of(encode(rest.substring(q + 1), QUERY_CHARS));
        return new NormalizedUrl(scheme, authority, withoutDotSegments(path, prefix), query);
    }

    /** The value stripped, without control characters, a URL's fragment cut off. */
    private static String checked(String raw, boolean prefix) {
        String what = prefix ? "prefix" : "URL";
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("the " + what + " holds a control character");
        }
        int hash = s.indexOf('#');
        if (hash >= 0 && prefix) {
            throw new IllegalArgumentException("a prefix cannot hold a fragment (#)");
        }
        return hash < 0 ? s : s.substring(0, hash);
    }

    /** The lower-cased http(s) scheme, or empty for a path (or a prefix's {@code host/path}). */
    private static Optional<String> scheme(String s, boolean prefix) {
        Matcher m = SCHEME.matcher(s);
        if (m.lookingAt()) {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("the scheme is not http(s)");
            }
            return Optional.of(scheme);
        }
        if (s.startsWith("//")) {
            // RFC 3986: without an authority a path cannot begin with "//"; readers disagree on
            // whether it names a host, so it is refused rather than guessed.
            throw new IllegalArgumentException("a value starting with // needs a scheme");
        }
        if (!s.startsWith("/") && !prefix) {
            throw new IllegalArgumentException(
                    "the URL is neither an absolute http(s) URL nor a path starting with /");
        }
        return Optional.empty();
    }

    /** {@code host[:port]}, lower-case, without the scheme's default port. */
    private static String authority(String raw, String scheme) {
        URI server = server(raw);
        int port = server.getPort();
        boolean defaultPort =
                (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
        return server.getHost().toLowerCase(Locale.ROOT)
                + (port < 0 || defaultPort ? "" : ":" + port);
    }

    /** Parses {@code host[:port]} as a server authority; never user information. */
    private static URI server(String raw) {
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("the host is missing");
        }
        if (raw.indexOf('@') >= 0) {
            throw new IllegalArgumentException("user information (@) is not allowed");
        }
        try {
            URI uri = new URI("http://" + asciiHost(raw) + "/").parseServerAuthority();
            if (uri.getHost() == null || uri.getPort() > 65535) {
                throw new URISyntaxException(raw, "not a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the host does not parse", e);
        }
    }

    // Internationalised names go out as their ASCII (punycode) form, the form caches see.
    private static String asciiHost(String authority) {
        if (authority.chars().allMatch(c -> c < 128) || authority.startsWith("[")) {
            return authority;
        }
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        String port = colon < 0 ? "" : authority.substring(colon);
        return IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES) + port;
    }

    /**
     * Percent-encodes (UTF-8) every character outside the unreserved ones and {@code allowed},
     * keeps valid escapes (upper-case hex), decodes escapes of unreserved characters.
     */
    private static String encode(String s, String allowed) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp == '%') {
                int value = escapedByte(s, i);
                if (isUnreserved(value)) {
                    out.append((char) value);
                } else {
                    appendEscape(out, value);
                }
                i += 3;
                continue;
            }
            if (isUnreserved(cp) || (cp < 128 && allowed.indexOf(cp) >= 0)) {
                out.append((char) cp);
            } else {
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
                    appendEscape(out, b & 0xFF);
                }
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static int escapedByte(String s, int at) {
        int hi = at + 1 < s.length() ? Character.digit(s.charAt(at + 1), 16) : -1;
        int lo = at + 2 < s.length() ? Character.digit(s.charAt(at + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
            throw new IllegalArgumentException("invalid percent-escape at index " + at);
        }
        return hi * 16 + lo;
    }

    private static void appendEscape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || UNRESERVED_MARKS.indexOf(c) >= 0;
    }

    /**
     * RFC 3986 remove_dot_segments, except that climbing above the root is refused instead of
     * clamped: {@code /../x} names nothing on the target, and clamping would purge something else.
     */
    private static String withoutDotSegments(String path, boolean prefix) {
        String[] segments = path.substring(1).split("/", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            boolean dot = segment.equals(".");
            if (!dot && !segment.equals("..")) {
                out.add(segment);
                continue;
            }
            if (!dot && out.isEmpty()) {
                throw new IllegalArgumentException("the path climbs above the root (..)");
            }
            if (last && prefix) {
                throw new IllegalArgumentException("a prefix cannot end in a dot segment");
            }
            if (!dot) {
                out.removeLast();
            }
            if (last) {
                out.add("");
            }
        }
        return "/" + String.join("/", out);
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
