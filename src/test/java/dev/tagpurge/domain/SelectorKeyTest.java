package dev.tagpurge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A selector's deduplication key: equal exactly when kind and value are. */
class SelectorKeyTest {

    @Test
    void keysAreEqualExactlyWhenKindAndValueAre() {
        SelectorKey tag = new SelectorKey(SelectorKind.TAG, "product-1");
        // a value built at run time, not the same String instance as the literal
        SelectorKey sameTag =
                new SelectorKey(
                        SelectorKind.TAG, new StringBuilder("product-").append(1).toString());
        SelectorKey otherValue = new SelectorKey(SelectorKind.TAG, "product-2");
        SelectorKey otherKind = new SelectorKey(SelectorKind.PREFIX, "product-1");

        assertThat(tag).isEqualTo(sameTag).hasSameHashCodeAs(sameTag);
        assertThat(tag).isNotEqualTo(otherValue).isNotEqualTo(otherKind);
        assertThat(tag).isNotEqualTo(null).isNotEqualTo("product-1");
        assertThat(new SelectorKey(SelectorKind.URL, null))
                .isEqualTo(new SelectorKey(SelectorKind.URL, null))
                .isNotEqualTo(new SelectorKey(SelectorKind.URL, "https://example.com/"));
    }

    @Test
    void aSetOfKeysDeduplicatesAsTheWindowDoes() {
        Set<SelectorKey> keys = new HashSet<>();
        for (Selector s :
                List.<Selector>of(
                        new Selector.Tag("Product-1"),
                        new Selector.Tag("product-1"),
                        new Selector.Url("https://example.com/a"),
                        new Selector.Url("https://example.com/a"))) {
            keys.add(s.identity(true));
        }
        assertThat(keys)
                .containsExactlyInAnyOrder(
                        new SelectorKey(SelectorKind.TAG, "product-1"),
                        new SelectorKey(SelectorKind.URL, "https://example.com/a"));
    }
}
