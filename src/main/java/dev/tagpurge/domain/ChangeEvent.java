package dev.tagpurge.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A parsed change event, whatever envelope it came in: plain JSON, CloudEvents structured or
 * CloudEvents binary. Purge fields are as the event gave them, before mapping rules.
 *
 * @param view the event as one JSON object ({@code id}, {@code type}, {@code source}, {@code
 *     subject}, {@code time}, {@code data}) that mapping-rule templates read; JSON null when no
 *     template will (no rules configured)
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
        JsonNode view) {}
