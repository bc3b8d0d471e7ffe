package dev.tagpurge.verify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK's HTTP client, one for every target. It never follows a redirect (a redirect elsewhere
 * would leave the allow-list) and discards the body: only the headers count.
 */
final class HttpEdgeFetcher implements EdgeFetcher {

    private final HttpClient client;

    HttpEdgeFetcher() {
        this.client =
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        // no h2c upgrade on plain http; one request per probe needs no HTTP/2
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
    }

    @Override
    public CompletableFuture<Response> get(URI uri, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .GET()
                        .timeout(timeout)
                        .header("User-Agent", "tagpurge-verification-probe");
        headers.forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> new Response(r.statusCode(), name -> r.headers().allValues(name)));
    }
}
