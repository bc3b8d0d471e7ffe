package dev.tagpurge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every key of every {@link ConfigMapping} interface is documented in docs/configuration.md, so a
 * key added without documentation fails the build. Keys are derived as SmallRye Config derives
 * them: method names in kebab-case unless {@link WithName} says otherwise, nested interfaces as
 * prefixes, {@code Map<String, X>} as {@code <name>} and lists of groups as {@code [i]}.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("docs/configuration.md");
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z-]+>");

    @Test
    void everyConfigurationKeyIsDocumented() throws Exception {
        Set<String> keys = configurationKeys();
        String reference = PLACEHOLDER.matcher(Files.readString(REFERENCE)).replaceAll("<name>");

        Set<String> missing = new TreeSet<>();
        for (String key : keys) {
            if (!reference.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertThat(missing)
                .as("configuration keys missing from %s (add a row per key)", REFERENCE)
                .isEmpty();
    }

    @Test
    void keysAreDerivedFromEveryMappingAndItsNestedGroups() throws Exception {
        // guards the walk itself: a walk that found nothing would pass the test above
        assertThat(configurationKeys())
                .contains(
                        "tagpurge.input.max-in-flight-events",
                        "tagpurge.allow-no-targets",
                        "tagpurge.targets.<name>.base-url",
                        "tagpurge.targets.<name>.rate-limits.<name>.refill-period",
                        "tagpurge.rules[i].type",
                        "tagpurge.lag.interval",
                        // each provider's own mapping in its package
                        "tagpurge.targets.<name>.service-id",
                        "tagpurge.targets.<name>.plan",
                        "tagpurge.targets.<name>.network",
                        "tagpurge.targets.<name>.poll-interval",
                        "tagpurge.targets.<name>.namespace");
    }

    /** The keys of every interface under src/main/java annotated with {@code @ConfigMapping}. */
    private static Set<String> configurationKeys() throws Exception {
        Set<String> keys = new TreeSet<>();
        for (Class<?> mapping : mappingInterfaces()) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            collect(mapping, prefix, keys);
        }
        return keys;
    }

    private static List<Class<?>> mappingInterfaces() throws Exception {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<Path> sources =
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(ConfigurationReferenceTest::declaresMapping)
                            .toList();
            assertThat(sources).as("@ConfigMapping interfaces under " + SOURCES).isNotEmpty();
            List<Class<?>> out = new ArrayList<>();
            for (Path source : sources) {
                String name = SOURCES.relativize(source).toString();
                name = name.substring(0, name.length() - ".java".length());
                out.add(Class.forName(name.replace('/', '.').replace('\\', '.')));
            }
            return out;
        }
    }

    private static boolean declaresMapping(Path source) {
        try {
            return Files.readString(source).contains("@ConfigMapping(");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Class<?> group, String prefix, Set<String> keys) {
        for (Method method : group.getMethods()) {
            if (method.isDefault()
                    || Modifier.isStatic(method.getModifiers())
                    || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + name(method);
            collectType(method.getGenericReturnType(), key, keys);
        }
    }

    private static void collectType(Type type, String key, Set<String> keys) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            collectType(argument(type, 0), key, keys);
        } else if (Map.class.isAssignableFrom(raw)) {
            collectType(argument(type, 1), key + ".<name>", keys);
        } else if (List.class.isAssignableFrom(raw) && isGroup(raw(argument(type, 0)))) {
            collectType(argument(type, 0), key + "[i]", keys);
        } else if (isGroup(raw)) {
            collect(raw, key, keys);
        } else {
            keys.add(key);
        }
    }

    /** A nested configuration group: one of the project's own interfaces. */
    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getName().startsWith("dev.tagpurge.");
    }

    private static String name(Method method) {
        WithName explicit = method.getAnnotation(WithName.class);
        return explicit != null ? explicit.value() : kebab(method.getName());
    }

    private static String kebab(String camel) {
        Matcher m = Pattern.compile("([a-z0-9])([A-Z])").matcher(camel);
        return m.replaceAll("$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Class<?> raw(Type type) {
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return (Class<?>) type;
    }

    private static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }
}
