package dev.tagpurge.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/** Real tokens changed the way an attacker would, for the operator API's refusal tests. */
final class OperatorTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();

    private OperatorTokens() {}

    /** A numeric claim of {@code token}'s payload, as it is (the token is not checked). */
    static long claim(String token, String claim) {
        return read(token.split("\\.")[1]).path(claim).asLong();
    }

    /** {@code token} with one claim of its payload replaced; its signature no longer matches. */
    static String withClaim(String token, String claim, long value) {
        String[] parts = token.split("\\.");
        ObjectNode payload = read(parts[1]);
        payload.put(claim, value);
        return parts[0] + "." + write(payload) + "." + parts[2];
    }

    /** {@code token}'s header and claims, signed with a key of our own (same kid, RS256). */
    static String signedWithAnotherKey(String token) {
        try {
            String[] parts = token.split("\\.");
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var keys = generator.generateKeyPair();
            String signingInput = parts[0] + "." + parts[1];
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + ENCODE.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token's {@code alg} set to {@code none} and its signature dropped. */
    static String unsigned(String token) {
        String[] parts = token.split("\\.");
        ObjectNode header = read(parts[0]);
        header.put("alg", "none");
        return write(header) + "." + parts[1] + ".";
    }

    private static ObjectNode read(String part) {
        try {
            return (ObjectNode) JSON.readTree(DECODE.decode(part));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return ENCODE.encodeToString(JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
