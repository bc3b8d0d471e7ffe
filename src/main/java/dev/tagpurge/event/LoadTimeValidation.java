package dev.tagpurge.event;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.purge.ProviderKeys;
import dev.tagpurge.purge.TargetKeysCheck;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Runs the checks of {@link ConfigurationValidator} while SmallRye Config loads the configuration,
 * so that an operator sees every configuration error in one message: the values of the wrong type
 * (an enum, a duration, a number) and the errors only Tagpurge knows (an unknown provider, a
 * missing service id, a plain http URL), each naming its key. Registered in {@code
 * META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer}, which Quarkus adds to the
 * runtime configuration.
 *
 * <p>SmallRye maps every {@code @ConfigMapping}, keeps each value it cannot convert as a problem,
 * hands each mapping that mapped cleanly to its {@link ConfigValidator}, and then throws one {@link
 * ConfigValidationException} with every problem. The validator installed here, at the first of the
 * service's mappings it is given, reads the raw {@code tagpurge.*} values through an interceptor at
 * the top of the chain (profiles and expressions resolved), maps them again without the values of
 * the wrong type ({@link LenientConfiguration}) and runs the checks with each provider's {@link
 * ProviderKeys}; their errors join SmallRye's. Whatever needs a bean (a Redis target's client) is
 * checked at start-up by {@link ConfigurationValidator}, once the configuration has loaded.
 */
public final class LoadTimeValidation implements SmallRyeConfigBuilderCustomizer {

    private static final Logger LOG = Logger.getLogger(LoadTimeValidation.class);

    private static final String PREFIX = "tagpurge.";

    private static final String SERVICE_PACKAGE = "dev.tagpurge.";

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        RawValues raw = new RawValues();
        builder.withInterceptorFactories(raw);
        builder.withValidator(new Validator(raw, builder.getValidator()));
    }

    /**
     * Every configuration error {@link ConfigurationValidator} finds in {@code values} (full keys,
     * as strings), leaving out the values of the wrong type; empty when the values do not map even
     * without them (a required key missing: SmallRye says so).
     */
    public static List<String> errors(Map<String, String> values) {
        List<ProviderKeys<?>> providers = new ArrayList<>();
        ServiceLoader.load(ProviderKeys.class, LoadTimeValidation.class.getClassLoader())
                .forEach(providers::add);
        List<Class<?>> mappings = new ArrayList<>();
        mappings.add(TagpurgeConfig.class);
        providers.forEach(p -> mappings.add(p.mapping()));
        Optional<SmallRyeConfig> config = LenientConfiguration.of(values, mappings);
        if (config.isEmpty()) {
            return List.of();
        }
        List<TargetKeysCheck> checks = new ArrayList<>();
        providers.forEach(p -> checks.add(check(p, config.get())));
        return new ConfigurationValidator(
                        config.get().getConfigMapping(TagpurgeConfig.class), checks)
                .errors();
    }

    private static <K> TargetKeysCheck check(ProviderKeys<K> keys, SmallRyeConfig config) {
        return keys.check(config.getConfigMapping(keys.mapping()));
    }

    /**
     * Runs the checks once per load, at the first of the service's mappings that SmallRye validates
     * (one that mapped cleanly; with a value of the wrong type in each of them, SmallRye's report
     * comes alone).
     */
    private static final class Validator implements ConfigValidator {

        private final RawValues raw;
        private final ConfigValidator next;
        private boolean checked;

        Validator(RawValues raw, ConfigValidator next) {
            this.raw = raw;
            this.next = next;
        }

        @Override
        public void validateMapping(Class<?> mappingClass, String prefix, Object mappingObject) {
            List<Problem> problems = new ArrayList<>();
            try {
                next.validateMapping(mappingClass, prefix, mappingObject);
            } catch (ConfigValidationException e) {
                for (int i = 0; i < e.getProblemCount(); i++) {
                    problems.add(e.getProblem(i));
                }
            }
            // only the service's own configuration: tools build others with this customizer too
            if (!checked && mappingClass.getName().startsWith(SERVICE_PACKAGE)) {
                check().forEach(error -> problems.add(new Problem(error)));
            }
            if (!problems.isEmpty()) {
                throw new ConfigValidationException(problems.toArray(Problem.NO_PROBLEMS));
            }
        }

        private List<String> check() {
            try {
                Optional<Map<String, String>> values = raw.values();
                if (values.isEmpty()) {
                    return List.of(); // no lookup yet: at the next mapping
                }
                checked = true;
                return errors(values.get());
            } catch (RuntimeException e) {
                // never hide SmallRye's own report: the checks run again at start-up
                checked = true;
                LOG.warnf(e, "could not check the configuration while loading it");
                return List.of();
            }
        }
    }

    /**
     * The outermost interceptor: it passes every lookup on unchanged and keeps the chain below it,
     * through which {@link #values()} reads the raw {@code tagpurge.*} values.
     */
    private static final class RawValues
            implements ConfigSourceInterceptorFactory, ConfigSourceInterceptor {

        @Serial private static final long serialVersionUID = 1L;

        private transient volatile ConfigSourceInterceptorContext chain;

        @Override
        public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
            return this;
        }

        @Override
        public OptionalInt getPriority() {
            return OptionalInt.of(Integer.MAX_VALUE);
        }

        @Override
        public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
            chain = context;
            return context.proceed(name);
        }

        @Override
        public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
            chain = context;
            return context.iterateNames();
        }

        /** The raw {@code tagpurge.*} values, once a lookup has gone through the chain. */
        Optional<Map<String, String>> values() {
            ConfigSourceInterceptorContext context = chain;
            if (context == null) {
                return Optional.empty();
            }
            Map<String, String> values = new TreeMap<>();
            Iterator<String> names = context.iterateNames();
            while (names.hasNext()) {
                String name = names.next();
                if (name.startsWith(PREFIX)) {
                    ConfigValue value = context.proceed(name);
                    if (value != null && value.getValue() != null) {
                        values.put(name, value.getValue());
                    }
                }
            }
            return Optional.of(values);
        }
    }
}
