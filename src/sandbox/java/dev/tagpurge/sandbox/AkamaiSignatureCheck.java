package dev.tagpurge.sandbox;

import com.akamai.edgegrid.signer.ClientCredential;
import com.akamai.edgegrid.signer.EdgeGridV1Signer;
import com.akamai.edgegrid.signer.Request;
import com.akamai.edgegrid.signer.exceptions.RequestSigningException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Verifies EdgeGrid ({@code EG1-HMAC-SHA256}) signatures the way Akamai does: the tokens must be
 * the accepted credential's, and the signature is recomputed from the request as received (method,
 * {@code Host}, raw path and query, body) with the timestamp and nonce the client put in its
 * header, by Akamai's own {@code edgegrid-signer-core}.
 *
 * <p>Not emulated: the freshness window of the timestamp and nonce replay detection, so that tests
 * on a hand-moved clock still authenticate (UNCONFIRMED how strict Akamai is).
 */
final class AkamaiSignatureCheck {

    static final String SCHEME = "EG1-HMAC-SHA256";

    // The timestamp format EdgeGrid signs, e.g. 20261102T10:15:00+0000.
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ssZ", Locale.ROOT);

    private final AkamaiEmulatorSettings settings;

    AkamaiSignatureCheck(AkamaiEmulatorSettings settings) {
        this.settings = settings;
    }

    /**
     * Why the request is not authenticated, or empty when its signature is valid. The reason never
     * repeats a token or the expected signature.
     */
    Optional<String> problem(AkamaiInbound in) {
        Optional<Map<String, String>> fields = in.authorization().flatMap(this::parse);
        if (fields.isEmpty()) {
            return Optional.of("Missing or malformed EdgeGrid Authorization header");
        }
        Map<String, String> auth = fields.get();
        if (!settings.clientToken().equals(auth.get("client_token"))) {
            return Optional.of("Invalid authorization client token");
        }
        if (!settings.accessToken().equals(auth.get("access_token"))) {
            return Optional.of("Invalid authorization access token");
        }
        if (in.host().isEmpty()) {
            return Optional.of("Missing Host header");
        }
        Optional<Long> timestamp = timestampMillis(auth.get("timestamp"));
        if (timestamp.isEmpty()) {
            return Optional.of("Invalid timestamp");
        }
        String expected = expectedSignature(in, timestamp.get(), auth.get("nonce"));
        boolean matches =
                MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8),
                        auth.get("signature").getBytes(StandardCharsets.UTF_8));
        return matches ? Optional.empty() : Optional.of("The signature does not match");
    }

    private Optional<Map<String, String>> parse(String header) {
        String value = header.strip();
        if (!value.startsWith(SCHEME + " ")) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : value.substring(SCHEME.length() + 1).split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        boolean complete =
                Stream.of("client_token", "access_token", "timestamp", "nonce", "signature")
                        .allMatch(k -> fields.containsKey(k) && !fields.get(k).isEmpty());
        return complete ? Optional.of(fields) : Optional.empty();
    }

    private static Optional<Long> timestampMillis(String timestamp) {
        try {
            return Optional.of(
                    OffsetDateTime.parse(timestamp, TIMESTAMP).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private String expectedSignature(AkamaiInbound in, long timestamp, String nonce) {
        ClientCredential credential =
                ClientCredential.builder()
                        .clientToken(settings.clientToken())
                        .clientSecret(settings.clientSecret())
                        .accessToken(settings.accessToken())
                        .host(in.host())
                        .build();
        try {
            Request request =
                    Request.builder()
                            .method(in.method())
                            .rawUri(URI.create(in.signedPath()))
                            .body(in.body())
                            .build();
            String header = new FixedSigner(timestamp, nonce).getSignature(request, credential);
            return header.substring(header.lastIndexOf("signature=") + "signature=".length());
        } catch (RequestSigningException | IllegalArgumentException e) {
            return "";
        }
    }

    /** The library's signer with the client's timestamp and nonce. */
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
