package dev.tagpurge.purge;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Reading a target's provider-specific keys, the same way for every adapter: errors name the full
 * key ({@code tagpurge.targets.<name>.<property>}) so a bad configuration fails start-up clearly.
 */
public final class TargetKeys {

    private TargetKeys() {}

    /** The full configuration key of {@code property} on target {@code name}. */
    public static String key(String name, String property) {
        return "tagpurge.targets." + name + "." + property;
    }

    /** A value that must be set and non-blank. */
    public static String required(
            String provider, String name, String property, Optional<String> value) {
        String article = "aeiou".indexOf(provider.charAt(0)) >= 0 ? "an " : "a ";
        return value.map(String::strip)
                .filter(v -> !v.isEmpty())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        key(name, property)
                                                + " is required for "
                                                + article
                                                + provider
                                                + " target"));
    }

    /** An http(s) API root without query string, trailing slashes removed. */
    public static String baseUrl(String name, String raw) {
        String url = raw.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme();
            boolean http = "http".equals(scheme) || "https".equals(scheme);
            if (!http || uri.getHost() == null || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("not an http(s) URL without a query");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    key(name, "base-url") + " must be an http(s) URL, was " + raw, e);
        }
        return url;
    }

    /**
     * The host that completes path-only URLs: the first of {@code hosts}. A configured host may be
     * written as a URL; only the authority is wanted, and a wildcard host cannot complete a path.
     */
    public static Optional<String> firstHost(List<String> hosts) {
        return hosts.stream()
                .findFirst()
                .map(String::strip)
                .map(h -> h.contains("://") ? h.substring(h.indexOf("://") + 3) : h)
                .map(h -> h.endsWith("/") ? h.substring(0, h.length() - 1) : h)
                .filter(h -> !h.isEmpty() && !h.contains("*") && !h.contains("/"));
    }
}
