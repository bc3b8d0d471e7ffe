package dev.tagpurge.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hosts a target's probe may fetch from, and nothing else: the probe fetches URLs built from
 * events, so without it an event could make the service fetch any address it can reach. Only {@code
 * http} and {@code https} URLs without user info, on a listed host (exact, case-insensitive), pass.
 */
final class HostAllowList {

    private final Set<String> hosts;

    HostAllowList(List<String> hosts) {
        this.hosts =
                hosts.stream()
                        .map(h -> h.strip().toLowerCase(Locale.ROOT))
                        .filter(h -> !h.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
    }

    /** Why {@code url} may not be fetched, or empty when it may. */
    Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("not an http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("URL with user info");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!hosts.contains(host)) {
            return Optional.of("host " + (host.isEmpty() ? "missing" : host) + " not allowed");
        }
        return Optional.empty();
    }
}
