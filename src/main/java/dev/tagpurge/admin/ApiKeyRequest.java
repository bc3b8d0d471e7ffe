package dev.tagpurge.admin;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented with a request; never logged, never shown by {@link #toString()}. */
public final class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyRequest[key hidden]";
    }
}
