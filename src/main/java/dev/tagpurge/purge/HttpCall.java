package dev.tagpurge.purge;

import java.util.Map;
import java.util.Optional;

/**
 * One HTTP POST as an adapter sends it, credentials included: so it is never logged. Adapters build
 * it from their own call description (which holds no credential) in {@link HttpPurger#http}.
 *
 * @param url the absolute URL
 * @param headers the request headers, authentication included
 * @param body the body, when the call has one
 */
public record HttpCall(String url, Map<String, String> headers, Optional<byte[]> body) {

    public HttpCall {
        headers = Map.copyOf(headers);
    }

    /** Redacts the headers, which carry the credential. */
    @Override
    public String toString() {
        return "HttpCall[url=" + url + ", headers=***]";
    }
}
