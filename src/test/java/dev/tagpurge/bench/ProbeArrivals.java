package dev.tagpurge.bench;

import dev.tagpurge.sandbox.RecordedPurge;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When each probe tag first reached each provider: the first 2xx request of that provider in the
 * sandbox recorder that names the tag. A refused request (429, 5xx) is not an arrival, the retry
 * that succeeds is; refused ones are counted. A tag purged by a request that carries many others
 * (coalesced with event traffic) counts when that request arrives.
 */
final class ProbeArrivals {

    private final Map<String, Map<String, Instant>> firstByTag = new HashMap<>();
    private int refused;

    /** Reads the recorder's snapshot; only tags starting with one of {@code prefixes} count. */
    ProbeArrivals(List<RecordedPurge> recorded, List<String> prefixes) {
        for (RecordedPurge r : recorded) {
            for (String item : r.items()) {
                if (prefixes.stream().noneMatch(item::startsWith)) {
                    continue;
                }
                if (!r.succeeded()) {
                    refused++;
                    continue;
                }
                firstByTag
                        .computeIfAbsent(item, k -> new HashMap<>())
                        .merge(r.provider(), r.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
    }

    /** When {@code tag} first reached {@code provider}, if it did. */
    Optional<Instant> at(String tag, String provider) {
        return Optional.ofNullable(firstByTag.getOrDefault(tag, Map.of()).get(provider));
    }

    /** When {@code tag} had reached every one of {@code providers}: the last of them. */
    Optional<Instant> reachedAll(String tag, List<String> providers) {
        Instant last = Instant.MIN;
        for (String provider : providers) {
            Optional<Instant> at = at(tag, provider);
            if (at.isEmpty()) {
                return Optional.empty();
            }
            last = at.get().isAfter(last) ? at.get() : last;
        }
        return Optional.of(last);
    }

    /**
     * Whether every probe's operator purge and change event reached every one of {@code providers}.
     */
    boolean allReached(List<OperatorPurgeUnderBacklog.Sent> sent, List<String> providers) {
        return sent.stream()
                .allMatch(
                        s ->
                                reachedAll(OperatorPurgeUnderBacklog.opTag(s), providers)
                                                .isPresent()
                                        && reachedAll(OperatorPurgeUnderBacklog.evTag(s), providers)
                                                .isPresent());
    }

    /** Refused requests (not 2xx) that named a probe tag. */
    int refused() {
        return refused;
    }
}
