package dev.tagpurge.purge;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.Selector;
import java.util.List;
import java.util.Locale;

/**
 * Which selectors a target receives ({@code tag-prefixes}, {@code hosts}); empty lists mean all.
 * Path-only URLs and prefixes carry no host and go to every target. A URL or prefix whose scheme or
 * host does not parse goes to no target that restricts {@code hosts}: routing fails closed.
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

    /**
     * Why this route keeps {@code selector} from its target, for an explanation; only meaningful
     * when {@link #accepts} is false.
     */
    public String refusal(Selector selector) {
        if (selector instanceof Selector.Tag) {
            return "the tag starts with none of tag-prefixes " + tagPrefixes;
        }
        return NormalizedUrl.hostOf(selector.value())
                .map(h -> "host " + h + " is not among hosts " + hosts)
                .orElse(
                        "its scheme or host does not parse, and a target restricted to hosts "
                                + hosts
                                + " takes only what it can route");
    }

    private boolean hostAccepted(String urlOrPath) {
        if (hosts.isEmpty() || urlOrPath.strip().startsWith("/")) {
            return true;
        }
        return NormalizedUrl.hostOf(urlOrPath).map(hosts::contains).orElse(false);
    }
}
