package dev.tagpurge.verify;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Fetches one URL through a CDN for the probe; a seam so tests can see what would be fetched. */
interface EdgeFetcher {

    /** A GET of {@code uri} with {@code headers}, failing after {@code timeout}. */
    CompletableFuture<Response> get(URI uri, Map<String, String> headers, Duration timeout);

    /**
     * The answer: its status and its headers by case-insensitive name.
     *
     * @param header every value of a header, empty when absent
     */
    record Response(int status, Function<String, List<String>> header) {}
}
