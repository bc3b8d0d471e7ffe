package dev.tagpurge.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.config.RuleConfig;
import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.mapping.MappingRule;
import dev.tagpurge.mapping.MappingTrace;
import dev.tagpurge.mapping.MissingFieldException;
import dev.tagpurge.mapping.SelectorMapper;
import dev.tagpurge.purge.PurgeDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;

/**
 * The configured parse → map → validate steps of intake, built once from configuration so a bad
 * rule or mode fails start-up.
 */
@ApplicationScoped
public class EventIntake {

    private final ChangeEventParser parser;
    private final SelectorMapper mapper;
    private final ChangeEventValidator validator;
    private final PurgeMode defaultMode;

    @Inject
    public EventIntake(TagpurgeConfig config, ObjectMapper json, PurgeDispatcher dispatcher) {
        List<MappingRule> rules = rules(config.rules().orElse(List.of()));
        // only rules' templates read an event's view: without rules it is not built
        this.parser =
                new ChangeEventParser(
                        json,
                        config.input().maxBytes(),
                        config.input().maxClockSkew(),
                        config.input().maxEventAge(),
                        Clock.systemUTC(),
                        !rules.isEmpty());
        this.mapper = new SelectorMapper(rules, config.input().maxSelectors());
        this.validator =
                new ChangeEventValidator(
                        config.input().maxSelectors(),
                        dispatcher.targetNames(),
                        config.purge().everythingFromEvents());
        try {
            this.defaultMode = config.purge().defaultMode();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tagpurge.purge.default-mode: " + e.getMessage(), e);
        }
    }

    /** Intake from its parts (tests). */
    EventIntake(
            ChangeEventParser parser,
            SelectorMapper mapper,
            ChangeEventValidator validator,
            PurgeMode defaultMode) {
        this.parser = parser;
        this.mapper = mapper;
        this.validator = validator;
        this.defaultMode = defaultMode;
    }

    /**
     * Maps a parsed event and validates the result: the consumer's step with {@link
     * MappingTrace#NONE}, an explanation's with its trace.
     *
     * @throws InvalidEventException as the event would be dead-lettered; a template naming a
     *     missing field is {@code missing-template-field}
     */
    public MappedSelectors mapAndValidate(ChangeEvent event, MappingTrace trace)
            throws InvalidEventException {
        MappedSelectors selectors;
        try {
            selectors = mapper.map(event, trace);
        } catch (MissingFieldException e) {
            throw new InvalidEventException(InvalidReason.MISSING_TEMPLATE_FIELD, e.getMessage());
        }
        validator.validate(event, selectors);
        return selectors;
    }

    private static List<MappingRule> rules(List<RuleConfig> configs) {
        return configs.stream()
                .map(
                        r ->
                                MappingRule.of(
                                        r.type(),
                                        r.source(),
                                        r.tags().orElse(List.of()),
                                        r.urls().orElse(List.of()),
                                        r.prefixes().orElse(List.of())))
                .toList();
    }

    public ChangeEventParser parser() {
        return parser;
    }

    public ChangeEventValidator validator() {
        return validator;
    }

    public PurgeMode defaultMode() {
        return defaultMode;
    }
}
