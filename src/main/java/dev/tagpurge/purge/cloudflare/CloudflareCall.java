package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.domain.SelectorKind;
import java.util.List;

/**
 * One HTTP call to Cloudflare's purge API, before credentials are added. It holds no token, so it
 * is safe to log and to compare in tests.
 *
 * @param kind the kind of selectors it purges
 * @param path the path under the API root: {@code /zones/{zone_id}/purge_cache}, or {@code
 *     …/invalidate_cache} when soft
 * @param jsonBody the JSON body with exactly one of {@code tags}, {@code files}, {@code prefixes}
 *     or {@code purge_everything}
 * @param soft whether it invalidates (marks stale) rather than purges
 * @param items the tags, URLs or prefixes as sent, in request order (empty for everything)
 */
record CloudflareCall(
        SelectorKind kind, String path, String jsonBody, boolean soft, List<String> items) {

    CloudflareCall {
        items = List.copyOf(items);
    }
}
