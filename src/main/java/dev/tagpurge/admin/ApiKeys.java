package dev.tagpurge.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configured API keys, held only as SHA-256 hashes. A presented key is hashed and compared with
 * every configured hash in constant time ({@link MessageDigest#isEqual}), whichever matches, so the
 * time taken tells nothing of which key or how much of it matched.
 */
public final class ApiKeys {

    /** A key that matched: its configured name and roles. */
    public record Match(String name, Set<String> roles) {}

    private record Entry(String name, byte[] hash, Set<String> roles) {}

    private final List<Entry> entries;

    /**
     * @param hashes SHA-256 hex of each key, by name
     * @param roles each key's roles, by name
     */
    public ApiKeys(Map<String, String> hashes, Map<String, List<String>> roles) {
        this.entries =
                new TreeMap<>(hashes)
                        .entrySet().stream()
                                .map(
                                        e ->
                                                new Entry(
                                                        e.getKey(),
                                                        parseHash(e.getKey(), e.getValue()),
                                                        Set.copyOf(
                                                                roles.getOrDefault(
                                                                        e.getKey(), List.of()))))
                                .toList();
    }

    static ApiKeys of(OperatorConfig config) {
        Map<String, String> hashes = new TreeMap<>();
        Map<String, List<String>> roles = new TreeMap<>();
        config.apiKeys()
                .forEach(
                        (name, key) -> {
                            hashes.put(name, key.hash());
                            roles.put(name, key.roles());
                        });
        return new ApiKeys(hashes, roles);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The key {@code presented} is, if any. */
    public Optional<Match> match(String presented) {
        byte[] hash = sha256(presented);
        Entry found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(hash, e.hash) && found == null) {
                found = e;
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Match(found.name, found.roles));
    }

    /** The lowercase hex SHA-256 of {@code key}, as configured. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] parseHash(String name, String hex) {
        String h = hex.strip().toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "tagpurge.operator.api-keys."
                            + name
                            + ".hash must be the SHA-256 of the key, 64 hex digits");
        }
        return HexFormat.of().parseHex(h);
    }
}
