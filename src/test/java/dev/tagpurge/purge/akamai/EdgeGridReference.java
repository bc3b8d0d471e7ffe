package dev.tagpurge.purge.akamai;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * EdgeGrid {@code EG1-HMAC-SHA256} written from Akamai's documented algorithm, independently of
 * {@code edgegrid-signer-core}, so tests can check the library's signatures (and the emulator's
 * verification) against a second implementation:
 *
 * <ol>
 *   <li>auth data = {@code EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;}
 *   <li>signing key = base64(HMAC-SHA256(key = client secret, data = timestamp))
 *   <li>content hash = base64(SHA-256(body, at most max-body bytes)) for a POST with a body, else
 *       empty
 *   <li>canonical request = method, {@code https}, lower-case host, path and query, signed headers
 *       (none here), content hash, each followed by a tab
 *   <li>signature = base64(HMAC-SHA256(key = signing key, data = canonical request + auth data))
 * </ol>
 */
public final class EdgeGridReference {

    /** The timestamp format EdgeGrid signs, always in UTC. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss+0000", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    /** The max-body of the Java library (and of .edgerc files by default). */
    public static final int MAX_BODY = 131_072;

    private EdgeGridReference() {}

    /** The {@code Authorization} header value of a request. */
    public static String authorization(
            String clientToken,
            String clientSecret,
            String accessToken,
            String host,
            String method,
            String pathAndQuery,
            byte[] body,
            String timestamp,
            String nonce,
            int maxBody) {
        String authData =
                "EG1-HMAC-SHA256 client_token="
                        + clientToken
                        + ";access_token="
                        + accessToken
                        + ";timestamp="
                        + timestamp
                        + ";nonce="
                        + nonce
                        + ";";
        String signingKey = base64(hmac(clientSecret, timestamp));
        String canonical =
                String.join(
                                "\t",
                                method.toUpperCase(Locale.ROOT),
                                "https",
                                host.toLowerCase(Locale.ROOT),
                                pathAndQuery,
                                "",
                                contentHash(method, body, maxBody))
                        + "\t";
        return authData + "signature=" + base64(hmac(signingKey, canonical + authData));
    }

    /** The EdgeGrid timestamp of an instant. */
    public static String timestamp(Instant at) {
        return TIMESTAMP.format(at);
    }

    /**
     * Whether {@code header} is a valid signature of the request by the given credential: the
     * signature is recomputed with the header's own timestamp and nonce.
     */
    public static boolean verifies(
            String header,
            String clientToken,
            String clientSecret,
            String accessToken,
            String host,
            String method,
            String pathAndQuery,
            byte[] body) {
        Map<String, String> fields = fields(header);
        String expected =
                authorization(
                        clientToken,
                        clientSecret,
                        accessToken,
                        host,
                        method,
                        pathAndQuery,
                        body,
                        fields.getOrDefault("timestamp", ""),
                        fields.getOrDefault("nonce", ""),
                        MAX_BODY);
        return expected.equals(header);
    }

    /** The {@code name=value} fields after the {@code EG1-HMAC-SHA256} scheme. */
    public static Map<String, String> fields(String header) {
        Map<String, String> fields = new HashMap<>();
        String rest = header.startsWith("EG1-HMAC-SHA256 ") ? header.substring(16) : header;
        for (String part : rest.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return fields;
    }

    private static String contentHash(String method, byte[] body, int maxBody) {
        if (!"POST".equalsIgnoreCase(method) || body == null || body.length == 0) {
            return "";
        }
        try {
            byte[] signed = Arrays.copyOf(body, Math.min(body.length, maxBody));
            return base64(MessageDigest.getInstance("SHA-256").digest(signed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
