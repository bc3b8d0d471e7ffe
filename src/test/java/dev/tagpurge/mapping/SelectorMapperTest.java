package dev.tagpurge.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.event.ChangeEvent;
import dev.tagpurge.event.ChangeEventParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectorMapperTest {

    private final ChangeEventParser parser = new ChangeEventParser(new ObjectMapper(), 1 << 20);

    private ChangeEvent event(String json) throws Exception {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), h -> null);
    }

    private final SelectorMapper mapper =
            new SelectorMapper(
                    List.of(
                            MappingRule.of(
                                    "product.*",
                                    Optional.empty(),
                                    List.of("product-{data.id}", "category-{data.categoryIds[*]}"),
                                    List.of("/products/{data.id}"),
                                    List.of()),
                            MappingRule.of(
                                    "product.deleted",
                                    Optional.of("catalog*"),
                                    List.of("listing-{data.categoryIds[0]}"),
                                    List.of(),
                                    List.of("/search/"))));

    @Test
    void rendersTemplatesExpandsArraysAndUnionsWithExplicitFields() throws Exception {
        MappedSelectors m =
                mapper.map(
                        event(
                                """
                {"id":"1","type":"product.updated","tags":["explicit","product-42"],
                 "data":{"id":42,"categoryIds":[7,8]}}"""));

        assertThat(m.tags()).containsExactly("explicit", "product-42", "category-7", "category-8");
        assertThat(m.urls()).containsExactly("/products/42");
        assertThat(m.prefixes()).isEmpty();
    }

    @Test
    void everyMatchingRuleContributesAndSourceGlobsFilter() throws Exception {
        String deleted =
                """
                {"id":"1","type":"product.deleted","source":"%s","data":{"id":1,"categoryIds":[3]}}""";
        assertThat(mapper.map(event(deleted.formatted("catalog-eu"))).tags())
                .containsExactly("product-1", "category-3", "listing-3");
        assertThat(mapper.map(event(deleted.formatted("search"))).tags())
                .containsExactly("product-1", "category-3");
    }

    @Test
    void anEventMatchingNoRuleYieldsOnlyItsExplicitSelectors() throws Exception {
        assertThat(mapper.map(event("{\"id\":\"1\",\"type\":\"order.created\"}")).isEmpty())
                .isTrue();
    }

    @Test
    void aTemplateNamingAMissingFieldMakesTheEventInvalid() {
        assertThatThrownBy(
                        () ->
                                mapper.map(
                                        event(
                                                "{\"id\":\"1\",\"type\":\"product.updated\",\"data\":{}}")))
                .isInstanceOf(MissingFieldException.class)
                .hasMessageContaining("data.id");
    }

    @Test
    void malformedTemplatesFailAtStartUp() {
        assertThatThrownBy(() -> SelectorTemplate.parse("product-{data.id"))
                .hasMessageContaining("unclosed");
        assertThatThrownBy(() -> SelectorTemplate.parse("p-{data.ids[x]}"))
                .hasMessageContaining("bad index");
    }

    @Test
    void globsMatchWholeTypes() {
        assertThat(MappingRule.glob("product.*").matcher("product.updated").matches()).isTrue();
        assertThat(MappingRule.glob("product.*").matcher("productXupdated").matches()).isFalse();
        assertThat(MappingRule.glob("order.?").matcher("order.a").matches()).isTrue();
    }

    @Test
    void prefixesReducingToTheRootFromEventsOrTemplatesBecomeEverything() throws Exception {
        SelectorMapper sections =
                new SelectorMapper(
                        List.of(
                                MappingRule.of(
                                        "page.*",
                                        Optional.empty(),
                                        List.of(),
                                        List.of(),
                                        List.of("/{data.section}"))));

        MappedSelectors explicit =
                sections.map(event("{\"id\":\"1\",\"type\":\"x\",\"prefixes\":[\"\",\"/a/\"]}"));
        MappedSelectors templated =
                sections.map(
                        event(
                                "{\"id\":\"1\",\"type\":\"page.moved\",\"data\":{\"section\":\"\"}}"));
        MappedSelectors ordinary =
                sections.map(
                        event(
                                "{\"id\":\"1\",\"type\":\"page.moved\",\"data\":{\"section\":\"news\"}}"));

        assertThat(explicit.everything()).isTrue();
        assertThat(explicit.prefixes()).containsExactly("/a/");
        assertThat(explicit.rootPrefixes()).containsExactly("");
        assertThat(templated.everything()).isTrue();
        assertThat(templated.prefixes()).isEmpty();
        assertThat(templated.rootPrefixes()).containsExactly("/");
        assertThat(ordinary.everything()).isFalse();
        assertThat(ordinary.prefixes()).containsExactly("/news");
    }
}
