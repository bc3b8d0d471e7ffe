package dev.tagpurge.event;

import dev.tagpurge.config.DurationForms;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.utils.StringUtil;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Tagpurge's configuration mapped from its raw values with every value of the wrong type left out,
 * so that the checks of {@link ConfigurationValidator} can run while SmallRye Config reports those
 * values itself: a check that needs a value left out sees its default or nothing, never a second
 * error about the same key. The value types come from the mappings themselves, and the values are
 * converted as Quarkus converts them (durations such as {@code 50ms}).
 */
final class LenientConfiguration {

    private static final String VALIDATE_UNKNOWN = "smallrye.config.mapping.validate-unknown";

    private LenientConfiguration() {}

    /**
     * {@code values} (full keys) mapped to {@code mappings}, without the values their property
     * cannot convert; empty when even so they do not map (a required key missing), which SmallRye
     * reports.
     */
    static Optional<SmallRyeConfig> of(Map<String, String> values, List<Class<?>> mappings) {
        SmallRyeConfig converters = builder().build();
        Map<String, String> convertible = new HashMap<>(values);
        for (Class<?> mapping : mappings) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            Map<String, Property> properties =
                    ConfigMappings.getProperties(ConfigClass.configClass(mapping, prefix));
            properties.forEach(
                    (path, property) -> {
                        Pattern pattern = pattern(path);
                        boolean list = properties.containsKey(path + "[*]");
                        values.forEach(
                                (key, value) -> {
                                    if (pattern.matcher(key).matches()
                                            && !converts(converters, property, value, list)) {
                                        convertible.remove(key);
                                    }
                                });
                    });
        }
        SmallRyeConfigBuilder builder =
                builder()
                        .withSources(
                                new PropertiesConfigSource(
                                        convertible, "tagpurge values that convert", 100))
                        // keys of other mappings (tagpurge.operator.*) are not mapped here
                        .withDefaultValue(VALIDATE_UNKNOWN, "false");
        mappings.forEach(builder::withMapping);
        try {
            return Optional.of(builder.build());
        } catch (ConfigValidationException e) {
            return Optional.empty();
        }
    }

    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationForms());
    }

    /** Whether {@code value} converts to the type of {@code property} (each item of a list). */
    private static boolean converts(
            SmallRyeConfig converters, Property property, String value, boolean list) {
        Property leaf =
                property.isOptional() ? property.asOptional().getNestedProperty() : property;
        Class<?> type;
        if (leaf.isPrimitive() && !leaf.hasConvertWith()) {
            type = leaf.asPrimitive().getBoxType();
        } else if (leaf.isLeaf() && !leaf.hasConvertWith()) {
            type = leaf.asLeaf().getValueRawType();
        } else {
            return true;
        }
        Optional<? extends Converter<?>> converter = converters.getConverter(type);
        if (converter.isEmpty()) {
            return true;
        }
        try {
            for (String item : list ? StringUtil.split(value) : new String[] {value}) {
                converter.get().convert(item);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The keys a mapping's property path stands for: {@code *} is one key segment (quoted when it
     * holds dots), {@code [*]} a list index.
     */
    static Pattern pattern(String path) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < path.length()) {
            if (path.startsWith("[*]", i)) {
                regex.append("\\[\\d+\\]");
                i += 3;
            } else if (path.charAt(i) == '*') {
                regex.append("(?:\"[^\"]*\"|[^.\\[\"]+)");
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(path.charAt(i))));
                i++;
            }
        }
        return Pattern.compile(regex.toString());
    }
}
