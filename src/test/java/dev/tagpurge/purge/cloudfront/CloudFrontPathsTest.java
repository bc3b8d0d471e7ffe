package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.domain.Selector;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudFrontPathsTest {

    @Test
    void absoluteUrlsBecomeTheirPathAndQueryWithoutFragment() {
        assertThat(CloudFrontPaths.path(new Selector.Url("https://shop.example.com/p/42?lang=en")))
                .isEqualTo("/p/42?lang=en");
        assertThat(CloudFrontPaths.path(new Selector.Url("HTTP://shop.example.com/a#top")))
                .isEqualTo("/a");
        assertThat(CloudFrontPaths.path(new Selector.Url("https://shop.example.com")))
                .isEqualTo("/");
        assertThat(CloudFrontPaths.path(new Selector.Url("https://shop.example.com?x=1")))
                .isEqualTo("/?x=1");
        assertThat(CloudFrontPaths.path(new Selector.Url("https://shop.example.com:8443/a")))
                .isEqualTo("/a");
    }

    @Test
    void pathsAreKeptCaseSensitiveAndOnlyUnsafeCharactersAreEncoded() {
        assertThat(CloudFrontPaths.path(new Selector.Url("/Images/Cat.JPG")))
                .isEqualTo("/Images/Cat.JPG");
        assertThat(CloudFrontPaths.path(new Selector.Url("/p/größe ü")))
                .isEqualTo("/p/gr%C3%B6%C3%9Fe%20%C3%BC");
        assertThat(CloudFrontPaths.path(new Selector.Url("/a/%20already?q=a|b")))
                .isEqualTo("/a/%20already?q=a%7Cb");
        assertThat(CloudFrontPaths.path(new Selector.Url("/~user/😀")))
                .isEqualTo("/~user/%F0%9F%98%80");
    }

    @Test
    void urlsThatAreNotHttpOrNotAbsolutePathsAreRejected() {
        assertThat(CloudFrontPaths.rejectReason(new Selector.Url("p/42")))
                .hasValueSatisfying(r -> assertThat(r).contains("path starting with /"));
        assertThat(CloudFrontPaths.rejectReason(new Selector.Url("ftp://x/a")))
                .hasValueSatisfying(r -> assertThat(r).contains("http(s)"));
        assertThat(CloudFrontPaths.rejectReason(new Selector.Url("https:///a")))
                .hasValueSatisfying(r -> assertThat(r).contains("host"));
        assertThat(CloudFrontPaths.rejectReason(new Selector.Url("/a/*")))
                .hasValueSatisfying(r -> assertThat(r).contains("wildcard"));
    }

    @Test
    void pathsLongerThan4000CharactersOnceEncodedAreRejected() {
        assertThat(CloudFrontPaths.rejectReason(new Selector.Url("/" + "a".repeat(3999))))
                .isEmpty();
        assertThat(CloudFrontPaths.rejectReason(new Selector.Url("/" + "a".repeat(4000))))
                .hasValueSatisfying(r -> assertThat(r).contains("4000"));
        // 1,000 non-ASCII characters become 6,000 once encoded
        assertThat(CloudFrontPaths.rejectReason(new Selector.Url("/" + "ü".repeat(1000))))
                .isPresent();
    }

    @Test
    void prefixesBecomeTheirPathPlusAWildcard() {
        assertThat(CloudFrontPaths.path(new Selector.Prefix("/products/")))
                .isEqualTo("/products/*");
        assertThat(CloudFrontPaths.path(new Selector.Prefix("https://shop.example.com/cat/")))
                .isEqualTo("/cat/*");
        assertThat(CloudFrontPaths.path(new Selector.Prefix("shop.example.com/cat/x")))
                .isEqualTo("/cat/x*");
        assertThat(CloudFrontPaths.path(new Selector.Prefix("/search?q=")))
                .isEqualTo("/search?q=*");
        assertThat(CloudFrontPaths.isWildcard("/products/*")).isTrue();
    }

    @Test
    void prefixesWithTheirOwnWildcardOrAFragmentAreRejectedNotRewritten() {
        assertThat(CloudFrontPaths.rejectReason(new Selector.Prefix("/p/*")))
                .hasValueSatisfying(r -> assertThat(r).contains("wildcard"));
        assertThat(CloudFrontPaths.rejectReason(new Selector.Prefix("/p#x"))).isPresent();
        assertThat(CloudFrontPaths.rejectReason(new Selector.Prefix(""))).isPresent();
    }

    @Test
    void prefixesOfTheRootAreRejectedInsteadOfBecomingAnEverythingInvalidation() {
        for (String root :
                List.of("/", " / ", "shop.example.com", "https://shop.example.com/", "/a/../")) {
            assertThat(CloudFrontPaths.rejectReason(new Selector.Prefix(root)))
                    .as(root)
                    .hasValueSatisfying(r -> assertThat(r).contains("root"));
        }
    }

    @Test
    void tagsBecomeHashItemsAndCountAsPlainPaths() {
        assertThat(CloudFrontPaths.path(new Selector.Tag("Product-42"))).isEqualTo("#Product-42");
        assertThat(CloudFrontPaths.isWildcard("#Product-42")).isFalse();
        assertThat(CloudFrontPaths.rejectReason(new Selector.Tag("t".repeat(256)))).isEmpty();
    }

    @Test
    void tagsOver256CharactersOrWithAWildcardAreRejectedForThisTarget() {
        assertThat(CloudFrontPaths.rejectReason(new Selector.Tag("t".repeat(257))))
                .hasValueSatisfying(r -> assertThat(r).contains("256"));
        assertThat(CloudFrontPaths.rejectReason(new Selector.Tag("product-*")))
                .hasValueSatisfying(r -> assertThat(r).contains("wildcard"));
        assertThat(CloudFrontPaths.rejectReason(new Selector.Tag("a,b"))).isPresent();
        assertThat(CloudFrontPaths.rejectReason(new Selector.Tag("a b"))).isPresent();
    }

    @Test
    void everythingIsTheRootWildcard() {
        assertThat(CloudFrontPaths.path(new Selector.Everything())).isEqualTo("/*");
        assertThat(CloudFrontPaths.isWildcard("/*")).isTrue();
    }

    @Test
    void pathThrowsWithTheReason() {
        assertThatThrownBy(() -> CloudFrontPaths.path(new Selector.Tag("x*")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wildcard");
    }
}
