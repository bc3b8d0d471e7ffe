package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WildcardCollapseTest {

    private static List<String> under(String directory, int n) {
        return IntStream.range(0, n).mapToObj(i -> directory + "item-" + i + ".html").toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void directoriesAreEveryLevelBelowTheRootBeforeTheQuery() {
        assertThat(WildcardCollapse.directories("/a/b/c.html?v=/x/y"))
                .containsExactly("/a/", "/a/b/");
        assertThat(WildcardCollapse.directories("/a/b/")).containsExactly("/a/", "/a/b/");
        assertThat(WildcardCollapse.directories("/index.html")).isEmpty();
        assertThat(WildcardCollapse.directories("/")).isEmpty();
    }

    @Test
    void atTheThresholdNothingCollapses() {
        List<String> paths = under("/products/", 3);

        assertThat(WildcardCollapse.collapse(paths, 3, 15)).isSameAs(paths);
    }

    @Test
    void aboveTheThresholdTheLongestCommonDirectoryIsSent() {
        List<String> paths = concat(under("/shop/products/shoes/", 4), List.of("/about.html"));

        assertThat(WildcardCollapse.collapse(paths, 3, 15))
                .containsExactly("/shop/products/shoes/*", "/about.html");
    }

    @Test
    void siblingsCollapseSeparatelyWhenEachIsOverTheThreshold() {
        List<String> paths =
                concat(under("/p/a/", 5), concat(under("/p/b/", 5), List.of("/p/c/one.html")));

        assertThat(WildcardCollapse.collapse(paths, 3, 15))
                .containsExactly("/p/a/*", "/p/b/*", "/p/c/one.html");
    }

    @Test
    void aParentCollapsesWhenWhatIsLeftInItIsStillOverTheThreshold() {
        // /p/a/ becomes one wildcard; /p/ then holds it and three single paths: 4 > 3
        List<String> paths =
                concat(
                        under("/p/a/", 5),
                        List.of("/p/b/1.html", "/p/c/1.html", "/p/d/1.html", "/q/1.html"));

        assertThat(WildcardCollapse.collapse(paths, 3, 15)).containsExactly("/p/*", "/q/1.html");
    }

    @Test
    void pathsScatteredOverTheRootNeverBecomeEverything() {
        List<String> paths = List.of("/a.html", "/b.html", "/c.html", "/d.html", "/e/1.html");

        assertThat(WildcardCollapse.collapse(paths, 2, 15)).isSameAs(paths);
    }

    @Test
    void queryVariantsOfOnePageCountAsPathsOfItsDirectory() {
        List<String> paths = List.of("/list/page?sort=a", "/list/page?sort=b", "/list/page?sort=c");

        assertThat(WildcardCollapse.collapse(paths, 2, 15)).containsExactly("/list/*");
    }

    @Test
    void tagsAndExistingWildcardsAreKeptAndNotCounted() {
        List<String> paths = List.of("#product-1", "/x/*", "/x/1", "/x/2");

        assertThat(WildcardCollapse.collapse(paths, 2, 15)).isSameAs(paths);
    }

    @Test
    void noMoreWildcardsThanAllowedAreMade() {
        List<String> paths = concat(under("/a/", 4), concat(under("/b/", 4), under("/c/", 4)));

        List<String> collapsed = WildcardCollapse.collapse(paths, 3, 2);

        assertThat(collapsed.stream().filter(CloudFrontPaths::isWildcard)).hasSize(2);
        assertThat(collapsed).hasSize(2 + 4);
        assertThat(collapsed).containsAll(under("/c/", 4));
    }

    @Test
    void theThresholdIsAtLeastOne() {
        assertThatThrownBy(() -> WildcardCollapse.collapse(List.of("/a/b"), 0, 15))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
