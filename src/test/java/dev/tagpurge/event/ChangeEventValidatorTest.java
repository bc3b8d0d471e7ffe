package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.MappedSelectors;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class ChangeEventValidatorTest {

    private final ChangeEventValidator validator =
            new ChangeEventValidator(3, Set.of("cdn", "cache"), false);

    private static ChangeEvent event(List<String> targets) {
        return new ChangeEvent(
                "1",
                "t",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                List.of(),
                List.of(),
                false,
                Optional.empty(),
                targets,
                JsonNodeFactory.instance.objectNode());
    }

    private static MappedSelectors tags(String... tags) {
        return new MappedSelectors(List.of(tags), List.of(), List.of(), false);
    }

    @Test
    void acceptsPrintableAsciiTagsAndKnownTargets() {
        assertThatCode(() -> validator.validate(event(List.of("cdn")), tags("product-42", "a!~")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesTagsWithCommaSpaceControlOrNonAsciiCharacters() {
        for (String bad : List.of("a,b", "a b", "a\u0001", "caf\u00e9", "")) {
            assertThatThrownBy(() -> validator.validate(event(List.of()), tags(bad)))
                    .isInstanceOfSatisfying(
                            InvalidEventException.class,
                            e ->
                                    Assertions.assertThat(e.reason())
                                            .isEqualTo(InvalidReason.INVALID_TAG));
        }
    }

    @Test
    void refusesTooManySelectorsUnknownTargetsAndEverything() {
        assertThatThrownBy(() -> validator.validate(event(List.of()), tags("a", "b", "c", "d")))
                .hasMessageContaining("max-selectors");
        assertThatThrownBy(() -> validator.validate(event(List.of("nope")), tags("a")))
                .hasMessageContaining("unknown target 'nope'");
        assertThatThrownBy(
                        () ->
                                validator.validate(
                                        event(List.of()),
                                        new MappedSelectors(List.of(), List.of(), List.of(), true)))
                .hasMessageContaining("everything-from-events");
    }

    private static MappedSelectors prefixes(String... prefixes) {
        return new MappedSelectors(List.of(), List.of(), List.of(prefixes), false);
    }

    @Test
    void aPrefixReducingToTheRootIsEverythingAndRefusedWhenEverythingIsOff() {
        for (String root :
                List.of(
                        "",
                        " ",
                        "/",
                        "*",
                        "/*",
                        " /* ",
                        "example.com",
                        "https://example.com",
                        "https://example.com/",
                        "HTTPS://Example.com:443/*",
                        "/./")) {
            assertThatThrownBy(() -> validator.validate(event(List.of()), prefixes("/a/", root)))
                    .as("'%s'", root)
                    .isInstanceOfSatisfying(
                            InvalidEventException.class,
                            e -> {
                                assertThat(e.reason())
                                        .isEqualTo(InvalidReason.EVERYTHING_NOT_ALLOWED);
                                assertThat(e.reason().label()).isEqualTo("everything-not-allowed");
                                assertThat(e.getMessage())
                                        .contains(
                                                "prefix '" + root + "'", "everything-from-events");
                            });
        }
    }

    @Test
    void aPrefixReducingToTheRootIsSentAsEverythingWhenEverythingIsAllowed() throws Exception {
        ChangeEventValidator allowing = new ChangeEventValidator(3, Set.of("cdn"), true);
        MappedSelectors selectors = prefixes("/a/", "https://example.com/");

        allowing.validate(event(List.of()), selectors);

        assertThat(selectors.everything()).isTrue();
        assertThat(selectors.prefixes()).containsExactly("/a/");
        assertThat(selectors.rootPrefixes()).containsExactly("https://example.com/");
    }

    @Test
    void ordinaryPrefixesAndKeyPrefixesStayPrefixes() throws Exception {
        MappedSelectors selectors = prefixes("/a/", "product:", "example.com/c/");

        validator.validate(event(List.of()), selectors);

        assertThat(selectors.everything()).isFalse();
        assertThat(selectors.prefixes()).containsExactly("/a/", "product:", "example.com/c/");
    }
}
