package dev.tagpurge.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.event.ChangeEventParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
    void anEventMatchingNoRuleKeepsItsSelectorsOnceEachInOrder() throws Exception {
        MappedSelectors m =
                mapper.map(
                        event(
                                """
                {"id":"1","type":"order.created","tags":["b","a","b","c","a"],
                 "urls":["/x","/y"],"prefixes":["/p/","/q/","/p/"]}"""));

        assertThat(m.tags()).containsExactly("b", "a", "c");
        assertThat(m.urls()).containsExactly("/x", "/y");
        assertThat(m.prefixes()).containsExactly("/p/", "/q/");
        List<String> many =
                IntStream.range(0, 40).mapToObj(i -> "t" + i % 20).collect(Collectors.toList());
        assertThat(SelectorMapper.distinct(many)).containsExactlyElementsOf(many.subList(0, 20));
        assertThat(SelectorMapper.distinct(List.of("a", "b", "a"))).containsExactly("a", "b");
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

    private static String numbers(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static SelectorMapper expanding(String template, int maxSelectors) {
        return new SelectorMapper(
                List.of(
                        MappingRule.of(
                                "x", Optional.empty(), List.of(template), List.of(), List.of())),
                maxSelectors);
    }

    private static InvalidReason reasonOf(SelectorMapper mapper, ChangeEvent event) {
        try {
            mapper.map(event);
        } catch (InvalidEventException e) {
            return e.reason();
        } catch (MissingFieldException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected too-many-selectors");
    }

    @Test
    void aCartesianProductOf10To12IsRefusedBeforeItIsBuilt() throws Exception {
        // 1000^4 = 10^12 selectors: building even a fraction of them would exhaust the heap
        ChangeEvent e =
                event(
                        "{\"id\":\"1\",\"type\":\"x\",\"data\":{\"a\":%s,\"b\":%s,\"c\":%s,\"d\":%s}}"
                                .formatted(
                                        numbers(0, 1000),
                                        numbers(1000, 1000),
                                        numbers(2000, 1000),
                                        numbers(3000, 1000)));

        SelectorMapper mapper =
                expanding("c-{data.a[*]}-{data.b[*]}-{data.c[*]}-{data.d[*]}", 1000);

        assertThat(reasonOf(mapper, e)).isEqualTo(InvalidReason.TOO_MANY_SELECTORS);
    }

    @Test
    void aProductBeyondLongIsRefusedWithoutOverflowing() throws Exception {
        // 1000^7 = 10^21 > 2^63: a wrapped product could look small
        StringBuilder data = new StringBuilder();
        StringBuilder template = new StringBuilder("t");
        for (int i = 0; i < 7; i++) {
            data.append(i == 0 ? "" : ",")
                    .append("\"f")
                    .append(i)
                    .append("\":")
                    .append(numbers(0, 1000));
            template.append("-{data.f").append(i).append("[*]}");
        }
        ChangeEvent e = event("{\"id\":\"1\",\"type\":\"x\",\"data\":{" + data + "}}");

        assertThat(reasonOf(expanding(template.toString(), 1000), e))
                .isEqualTo(InvalidReason.TOO_MANY_SELECTORS);
        assertThat(SelectorTemplate.saturatedProduct(Long.MAX_VALUE / 2, 3))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(SelectorTemplate.saturatedProduct(1L << 32, 1L << 32)).isEqualTo(Long.MAX_VALUE);
        assertThat(SelectorTemplate.saturatedProduct(1_000_000, 1_000_000))
                .isEqualTo(1_000_000_000_000L);
    }

    @Test
    void exactlyMaxSelectorsPassesAndOneMoreIsRefused() throws Exception {
        ChangeEvent e =
                event(
                        "{\"id\":\"1\",\"type\":\"x\",\"tags\":[\"explicit\"],\"data\":{\"a\":%s,\"b\":%s}}"
                                .formatted(numbers(0, 10), numbers(0, 10)));
        String template = "c-{data.a[*]}-{data.b[*]}";

        assertThat(expanding(template, 101).map(e).tags()).hasSize(101);
        assertThat(reasonOf(expanding(template, 100), e))
                .as("100 from the template plus the explicit tag")
                .isEqualTo(InvalidReason.TOO_MANY_SELECTORS);
        assertThat(reasonOf(expanding(template, 99), e))
                .as("the template alone is over")
                .isEqualTo(InvalidReason.TOO_MANY_SELECTORS);
    }

    @Test
    void repeatedArrayElementsCountOnce() throws Exception {
        ChangeEvent e =
                event(
                        "{\"id\":\"1\",\"type\":\"x\",\"data\":{\"a\":[1,1,1,1,2],\"b\":[3,3,3,3,3]}}");

        assertThat(expanding("c-{data.a[*]}-{data.b[*]}", 2).map(e).tags())
                .containsExactly("c-1-3", "c-2-3");
    }
}
