package dev.tagpurge.purge.fastly;

import dev.tagpurge.domain.SelectorKind;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP call to Fastly's purge API, before credentials are added. It holds no token, so it is
 * safe to log and to compare in tests.
 *
 * @param kind the kind of selectors it purges
 * @param path the path under the API root, starting with {@code /}
 * @param jsonBody the JSON body, for bulk key purges
 * @param soft whether to send {@code Fastly-Soft-Purge: 1}
 * @param items the keys or URLs it purges, in request order (empty for purge_all)
 */
record FastlyCall(
        SelectorKind kind,
        String path,
        Optional<String> jsonBody,
        boolean soft,
        List<String> items) {

    FastlyCall {
        items = List.copyOf(items);
    }
}
