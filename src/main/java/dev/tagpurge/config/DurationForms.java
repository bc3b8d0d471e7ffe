package dev.tagpurge.config;

import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.annotation.Priority;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Quarkus' duration converter, with a refusal that says which forms are expected: the message an
 * operator reads when a duration key holds something else names the key (SmallRye Config adds it)
 * and this. Registered in {@code META-INF/services/org.eclipse.microprofile.config.spi.Converter},
 * above Quarkus' own converters (priority 200).
 */
@Priority(300)
public class DurationForms implements Converter<Duration> {

    private static final long serialVersionUID = 1L;

    private static final DurationConverter QUARKUS = new DurationConverter();

    @Override
    public Duration convert(String value) {
        try {
            return QUARKUS.convert(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "expected a duration such as 500ms, 5s, 15m, 2h, 7d or PT5S, got \""
                            + value.strip()
                            + "\"",
                    e);
        }
    }
}
