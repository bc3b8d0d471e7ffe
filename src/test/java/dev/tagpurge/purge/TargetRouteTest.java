package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.Selector;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetRouteTest {

    private final TargetRoute www = new TargetRoute(List.of(), List.of("WWW.Example.com"));

    @Test
    void urlsAndPrefixesOnAListedHostAreRouted() {
        assertThat(www.accepts(new Selector.Url("https://www.example.com/a"))).isTrue();
        assertThat(www.accepts(new Selector.Url("HTTP://WWW.EXAMPLE.COM:8080/a?b#c"))).isTrue();
        assertThat(www.accepts(new Selector.Prefix("www.example.com/a/"))).isTrue();
        assertThat(www.accepts(new Selector.Url("https://other.example/a"))).isFalse();
    }

    @Test
    void pathOnlySelectorsGoToEveryTarget() {
        assertThat(www.accepts(new Selector.Url("/a"))).isTrue();
        assertThat(www.accepts(new Selector.Prefix(" /a/"))).isTrue();
    }

    @Test
    void aSchemeOrHostThatDoesNotParseIsNotRoutedToATargetRestrictingHosts() {
        for (String unparseable :
                List.of(
                        "https://",
                        "https:///a",
                        "https://www.example.com\\@evil.example/a",
                        "https://user@www.example.com/a",
                        "https://www.exa mple.com/a",
                        "https://[::1/a",
                        "https://www.example.com:99999/a",
                        "ftp://www.example.com/a",
                        "javascript:alert(1)",
                        "%zz/a")) {
            assertThat(www.accepts(new Selector.Url(unparseable))).as(unparseable).isFalse();
            assertThat(www.accepts(new Selector.Prefix(unparseable))).as(unparseable).isFalse();
            assertThat(TargetRoute.ALL.accepts(new Selector.Url(unparseable))).isTrue();
        }
    }

    @Test
    void tagsFollowTagPrefixesAndEverythingGoesEverywhere() {
        TargetRoute products = new TargetRoute(List.of("product-"), List.of("www.example.com"));

        assertThat(products.accepts(new Selector.Tag("product-1"))).isTrue();
        assertThat(products.accepts(new Selector.Tag("category-1"))).isFalse();
        assertThat(products.accepts(new Selector.Everything())).isTrue();
    }
}
