package dev.tagpurge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.SelectorKind;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OrderParserTest {

    private final OrderParser parser =
            new OrderParser(
                    Map.of("cdn", "fastly", "zone", "cloudflare", "cache", "redis"),
                    Pattern.compile("[A-Z][A-Z0-9]+-[0-9]+"));

    private PurgeOrder valid(String body) {
        OrderParser.Parsed parsed = parser.parse(body);
        assertThat(parsed).as(body).isInstanceOf(OrderParser.Valid.class);
        return ((OrderParser.Valid) parsed).order();
    }

    private List<String> badFields(String body) {
        OrderParser.Parsed parsed = parser.parse(body);
        assertThat(parsed).as(body).isInstanceOf(OrderParser.Invalid.class);
        return ((OrderParser.Invalid) parsed).errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aTagPurgeOnNamedTargets() {
        PurgeOrder o =
                valid(
                        """
                {"tags":["product-1","product-1","product-2"],"targets":["zone","cdn"],
                 "mode":"soft","ticket":"OPS-12","reason":"stale prices after import"}""");
        assertThat(o.kind()).isEqualTo(SelectorKind.TAG);
        assertThat(o.values()).as("duplicates dropped").containsExactly("product-1", "product-2");
        assertThat(o.targets()).as("sorted").containsExactly("cdn", "zone");
        assertThat(o.scope()).isEmpty();
        assertThat(o.mode()).isEqualTo(PurgeMode.SOFT);
        assertThat(o.dryRun()).isFalse();
    }

    @Test
    void scopesResolveToTargetsByProvider() {
        String rest = ",\"ticket\":\"OPS-1\",\"reason\":\"a good reason here\"}";
        assertThat(valid("{\"tags\":[\"a\"],\"scope\":\"redis\"" + rest).targets())
                .containsExactly("cache");
        assertThat(valid("{\"tags\":[\"a\"],\"scope\":\"cdn\"" + rest).targets())
                .containsExactly("cdn", "zone");
        assertThat(valid("{\"tags\":[\"a\"],\"scope\":\"all\"" + rest).targets())
                .containsExactly("cache", "cdn", "zone");
        assertThat(valid("{\"everything\":true,\"scope\":\"all\"" + rest).everything()).isTrue();
        assertThat(valid("{\"tags\":[\"a\"],\"scope\":\"all\"" + rest).mode())
                .as("hard by default")
                .isEqualTo(PurgeMode.HARD);
    }

    @Test
    void everyBadFieldIsNamed() {
        assertThat(badFields("{\"tags\":[\"a\"],\"scope\":\"all\",\"reason\":\"long enough\"}"))
                .containsExactly("ticket");
        assertThat(
                        badFields(
                                "{\"tags\":[\"a\"],\"scope\":\"all\",\"ticket\":\"ops-1\","
                                        + "\"reason\":\"long enough\"}"))
                .containsExactly("ticket");
        assertThat(
                        badFields(
                                "{\"tags\":[\"a\"],\"scope\":\"all\",\"ticket\":\"OPS-1\","
                                        + "\"reason\":\"short\"}"))
                .containsExactly("reason");
        assertThat(
                        badFields(
                                "{\"tags\":[\"a\"],\"targets\":[\"nope\"],\"ticket\":\"OPS-1\","
                                        + "\"reason\":\"long enough\"}"))
                .containsExactly("targets");
        assertThat(badFields("{\"tags\":[],\"scope\":\"moon\",\"mode\":\"gentle\",\"dryRun\":1}"))
                .containsExactly("tags", "scope", "mode", "ticket", "reason", "dryRun");
        assertThat(
                        badFields(
                                "{\"tags\":[\"a\"],\"urls\":[\"https://x.example/a\"],"
                                        + "\"targets\":[\"cdn\"],\"scope\":\"all\",\"ticket\":"
                                        + "\"OPS-1\",\"reason\":\"long enough\",\"tag\":1}"))
                .containsExactly("tag", "tags", "urls", "targets", "scope");
    }

    @Test
    void malformedJsonAndNonObjectsAreTheBodysFault() {
        assertThat(badFields("{\"tags\":[\"a\"")).containsExactly("body");
        assertThat(badFields("[1,2]")).containsExactly("body");
        assertThat(badFields("")).containsExactly("body");
    }

    @Test
    void aRootPrefixIsNotAcceptedAsAPrefix() {
        String rest = ",\"scope\":\"cdn\",\"ticket\":\"OPS-1\",\"reason\":\"a good reason here\"}";
        assertThat(badFields("{\"prefixes\":[\"https://www.example.com/\"]" + rest))
                .containsExactly("prefixes[0]");
        assertThat(badFields("{\"prefixes\":[\"/\"]" + rest)).containsExactly("prefixes[0]");
        assertThat(valid("{\"prefixes\":[\"https://www.example.com/shop/\"]" + rest).kind())
                .isEqualTo(SelectorKind.PREFIX);
    }

    @Test
    void urlsMustBeAbsolute() {
        String rest = ",\"scope\":\"cdn\",\"ticket\":\"OPS-1\",\"reason\":\"a good reason here\"}";
        assertThat(badFields("{\"urls\":[\"/relative\",\"https://www.example.com/ok\"]" + rest))
                .containsExactly("urls[0]");
    }

    @Test
    void theExpectedConfirmationIsTheSortedTargetNames() {
        PurgeOrder o =
                valid(
                        "{\"everything\":true,\"targets\":[\"zone\",\"cdn\"],\"ticket\":\"OPS-1\","
                                + "\"reason\":\"a good reason here\",\"confirm\":\"x\"}");
        assertThat(o.expectedConfirm()).isEqualTo("cdn,zone");
        assertThat(o.confirm()).contains("x");
        assertThat(o.items()).isEqualTo(1);
    }
}
