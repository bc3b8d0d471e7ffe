package dev.tagpurge.purge.akamai;

import dev.tagpurge.domain.SelectorKind;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP call to Akamai's Fast Purge API, before it is signed. It holds no credential, so it is
 * safe to log and to compare in tests.
 *
 * @param kind the kind of selectors it purges
 * @param operation {@code invalidate} (soft) or {@code delete} (hard)
 * @param objectType {@code tag}, {@code url} or {@code cpcode}
 * @param path the path under the API root: {@code /ccu/v3/{operation}/{objectType}/{network}}
 * @param jsonBody the JSON body, {@code {"objects":[…]}}
 * @param objects the objects it purges, in request order (CP codes as decimal strings)
 */
record AkamaiCall(
        SelectorKind kind,
        String operation,
        String objectType,
        String path,
        String jsonBody,
        List<String> objects) {

    AkamaiCall {
        objects = List.copyOf(objects);
    }

    /** Whether this call only marks content stale ({@code invalidate}). */
    boolean soft() {
        return AkamaiRequests.INVALIDATE.equals(operation);
    }

    /** The body as sent, UTF-8. */
    byte[] bodyBytes() {
        return jsonBody.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code operation/objectType}, e.g. {@code delete/tag}, for logs. */
    String action() {
        return operation + "/" + objectType;
    }
}
