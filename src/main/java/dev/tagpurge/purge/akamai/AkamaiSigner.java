package dev.tagpurge.purge.akamai;

import com.akamai.edgegrid.signer.ClientCredential;
import com.akamai.edgegrid.signer.EdgeGridV1Signer;
import com.akamai.edgegrid.signer.Request;
import com.akamai.edgegrid.signer.exceptions.RequestSigningException;
import java.net.URI;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signs Fast Purge calls with EdgeGrid ({@code EG1-HMAC-SHA256}) through Akamai's {@code
 * edgegrid-signer-core}. The library always signs the scheme as {@code https} and the credential's
 * host verbatim, so an {@code http://127.0.0.1:port} sandbox root signs as {@code 127.0.0.1:port},
 * which is what the client sends in {@code Host}. Thread-safe: each signature uses its own signer.
 */
final class AkamaiSigner {

    private final ClientCredential credential;
    private final Clock clock;
    private final Supplier<String> nonces;

    AkamaiSigner(AkamaiSettings settings, Clock clock, Supplier<String> nonces) {
        this.credential =
                ClientCredential.builder()
                        .clientToken(settings.clientToken())
                        .clientSecret(settings.clientSecret())
                        .accessToken(settings.accessToken())
                        .host(settings.signingHost())
                        .build();
        this.clock = clock;
        this.nonces = nonces;
    }

    AkamaiSigner(AkamaiSettings settings, Clock clock) {
        this(settings, clock, () -> UUID.randomUUID().toString());
    }

    /**
     * The {@code Authorization} header value for a request, timestamped now.
     *
     * @param method the HTTP method
     * @param pathAndQuery the raw path (and query) as sent, starting with {@code /}
     * @param body the body as sent
     */
    String authorization(String method, String pathAndQuery, byte[] body) {
        Request request =
                Request.builder()
                        .method(method)
                        .rawUri(URI.create(pathAndQuery))
                        .body(body)
                        .build();
        try {
            return new FixedSigner(clock.millis(), nonces.get()).getSignature(request, credential);
        } catch (RequestSigningException e) {
            // Only a JDK without HmacSHA256 gets here; the message names no credential.
            throw new IllegalStateException("EdgeGrid signing failed: " + e.getMessage(), e);
        }
    }

    /** The library's signer with the timestamp and nonce chosen by the caller. */
    private static final class FixedSigner extends EdgeGridV1Signer {
        private final long timestamp;
        private final String nonce;

        FixedSigner(long timestamp, String nonce) {
            this.timestamp = timestamp;
            this.nonce = nonce;
        }

        @Override
        protected long getTimestamp() {
            return timestamp;
        }

        @Override
        protected String getNonce() {
            return nonce;
        }
    }
}
