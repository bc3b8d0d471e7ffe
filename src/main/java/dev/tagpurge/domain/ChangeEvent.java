package dev.tagpurge.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A parsed change event, whatever envelope it came in: plain JSON, CloudEvents structured or
 * CloudEvents binary. Purge fields are as the event gave them, before mapping rules.
 *
 * @param view the event as one JSON object ({@code id}, {@code type}, {@code source}, {@code
 *     subject}, {@code time}, {@code data}) that mapping-rule templates read; JSON null when no
 *     template will (no rules configured, or the event's content dropped)
 */
public record ChangeEvent(
        String id,
        String type,
        Optional<String> source,
        Optional<Instant> time,
        Optional<String> subject,
        List<String> tags,
        List<String> urls,
        List<String> prefixes,
        boolean everything,
        Optional<PurgeMode> mode,
        List<String> targets,
        JsonNode view) {

    /**
     * This event without its content (purge fields and JSON view): what outlives mapping needs only
     * its identity, time, mode and target restriction, and on a large event the content is most of
     * its memory.
     */
    public ChangeEvent withoutContent() {
        return new ChangeEvent(
                id,
                type,
                source,
                time,
                subject,
                List.of(),
                List.of(),
                List.of(),
                everything,
                mode,
                targets,
                NullNode.getInstance());
    }
}
