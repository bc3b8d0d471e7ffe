package dev.tagpurge.purge;

import dev.tagpurge.coalesce.Selector;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which selectors a target receives ({@code tag-prefixes}, {@code hosts}); empty lists mean all.
 * Path-only URLs and prefixes carry no host and go to every target.
 */
public record TargetRoute(List<String> tagPrefixes, List<String> hosts) {

    public static final TargetRoute ALL = new TargetRoute(List.of(), List.of());

    public TargetRoute {
        tagPrefixes = List.copyOf(tagPrefixes);
        hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean accepts(Selector selector) {
        return switch (selector) {
            case Selector.Tag tag ->
                    tagPrefixes.isEmpty() || tagPrefixes.stream().anyMatch(tag.value()::startsWith);
            case Selector.Url url -> hostAccepted(url.value());
            case Selector.Prefix prefix -> hostAccepted(prefix.value());
            case Selector.Everything all -> true;
        };
    }

    private boolean hostAccepted(String urlOrPath) {
        if (hosts.isEmpty() || urlOrPath.startsWith("/")) {
            return true;
        }
        String host = hostOf(urlOrPath);
        return host == null || hosts.contains(host);
    }

    /** The host of {@code https://host/…} or {@code host/…}, lower-cased; null if none. */
    static String hostOf(String urlOrPrefix) {
        String s = urlOrPrefix.contains("://") ? urlOrPrefix : "//" + urlOrPrefix;
        try {
            String host = URI.create(s.replace(" ", "%20")).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
