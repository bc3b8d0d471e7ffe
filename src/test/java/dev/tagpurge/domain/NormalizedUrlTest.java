package dev.tagpurge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NormalizedUrlTest {

    @Test
    void schemeAndHostAreLowerCasedDefaultPortsDroppedPathCaseKept() {
        NormalizedUrl url = NormalizedUrl.url("HTTPS://Shop.Example.COM:443/Images/Cat.JPG?Q=A");

        assertThat(url.absolute()).isEqualTo("https://shop.example.com/Images/Cat.JPG?Q=A");
        assertThat(NormalizedUrl.url("http://x:80/a").absolute()).isEqualTo("http://x/a");
        assertThat(NormalizedUrl.url("http://x:443/a").absolute()).isEqualTo("http://x:443/a");
        assertThat(NormalizedUrl.url("https://x").pathAndQuery()).isEqualTo("/");
        assertThat(NormalizedUrl.url("https://x?y").pathAndQuery()).isEqualTo("/?y");
    }

    @Test
    void dotSegmentsPlainOrEncodedAreResolved() {
        assertThat(NormalizedUrl.url("/a/./b/../c").path()).isEqualTo("/a/c");
        assertThat(NormalizedUrl.url("/a/%2e%2E/c/.%2e/d").path()).isEqualTo("/d");
        assertThat(NormalizedUrl.url("/a/b/..").path()).isEqualTo("/a/");
        assertThat(NormalizedUrl.url("/a//../b").path()).isEqualTo("/a/b");
        // an escaped percent is data, not a dot
        assertThat(NormalizedUrl.url("/a/%252e%252e/b").path()).isEqualTo("/a/%252e%252e/b");
    }

    @Test
    void aPathClimbingAboveTheRootIsRefusedNotClamped() {
        for (String bad : List.of("/..", "/../a", "/a/../../b", "https://x/%2e%2e/y", "x/../a")) {
            assertThatThrownBy(() -> NormalizedUrl.prefix(bad))
                    .as(bad)
                    .hasMessageContaining("above the root");
        }
    }

    @Test
    void charactersAUriDoesNotAllowArePercentEncodedAndUnreservedEscapesDecoded() {
        assertThat(NormalizedUrl.url("/p/größe ü").path()).isEqualTo("/p/gr%C3%B6%C3%9Fe%20%C3%BC");
        assertThat(NormalizedUrl.url("/a\\b\"<>{}|^`[]").path())
                .isEqualTo("/a%5Cb%22%3C%3E%7B%7D%7C%5E%60%5B%5D");
        assertThat(NormalizedUrl.url("/%7euser/%41%2f%2F?q=%3f a").pathAndQuery())
                .isEqualTo("/~user/A%2F%2F?q=%3F%20a");
        assertThat(NormalizedUrl.url("/a?b=/c?d&e=f;g").query()).contains("b=/c?d&e=f;g");
    }

    @Test
    void fragmentsAreDroppedFromUrlsAndRefusedInPrefixes() {
        assertThat(NormalizedUrl.url("https://x/a?b#c/../../d").pathAndQuery()).isEqualTo("/a?b");
        assertThatThrownBy(() -> NormalizedUrl.prefix("/a#b")).hasMessageContaining("fragment");
    }

    @Test
    void whatCannotBeAPurgeableUrlIsRefusedWithTheReason() {
        assertThatThrownBy(() -> NormalizedUrl.url("/a%zz")).hasMessageContaining("percent-escape");
        assertThatThrownBy(() -> NormalizedUrl.url("/a%2")).hasMessageContaining("percent-escape");
        assertThatThrownBy(() -> NormalizedUrl.url("/a\r\nb")).hasMessageContaining("control");
        assertThatThrownBy(() -> NormalizedUrl.url("https://u:p@x/a")).hasMessageContaining("@");
        assertThatThrownBy(() -> NormalizedUrl.url("ftp://x/a")).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> NormalizedUrl.url("https:///a")).hasMessageContaining("host");
        assertThatThrownBy(() -> NormalizedUrl.url("https://x\\y/a")).hasMessageContaining("host");
        assertThatThrownBy(() -> NormalizedUrl.url("https://x:99999/a"))
                .hasMessageContaining("host");
        assertThatThrownBy(() -> NormalizedUrl.url("//x/a")).hasMessageContaining("//");
        assertThatThrownBy(() -> NormalizedUrl.url("x/a")).hasMessageContaining("path");
        assertThatThrownBy(() -> NormalizedUrl.prefix("/a/..")).hasMessageContaining("dot segment");
    }

    @Test
    void ipv6LiteralsPortsAndInternationalHostsParse() {
        assertThat(NormalizedUrl.url("https://[::1]:8443/a").authority()).contains("[::1]:8443");
        assertThat(NormalizedUrl.url("https://bücher.example/a").authority())
                .contains("xn--bcher-kva.example");
        assertThat(NormalizedUrl.prefix("Shop.Example.com:8080/a").hostPath())
                .isEqualTo("shop.example.com:8080/a");
    }

    @Test
    void normalisingTwiceChangesNothing() {
        for (String raw :
                List.of("https://X/a/./%7e/b c/../d?e f#g", "/größe/%2e/x", "h.example/a b/")) {
            String once = written(NormalizedUrl.prefix(raw.replace("#g", "")));
            assertThat(written(NormalizedUrl.prefix(once))).as(raw).isEqualTo(once);
        }
    }

    @Test
    void prefixesThatReduceToATargetsRootAreRecognised() {
        for (String root :
                List.of(
                        "",
                        " ",
                        "/",
                        "*",
                        "/*",
                        "//",
                        " /* ",
                        "\t/\n",
                        "example.com",
                        "Example.COM/",
                        "example.com/*",
                        "https://example.com",
                        "https://example.com/",
                        "HTTPS://EXAMPLE.COM:443/*",
                        "http://[::1]/",
                        "/./",
                        "/a/../",
                        "https://example.com/%2e/")) {
            assertThat(NormalizedUrl.isRootPrefix(root)).as("'%s'", root).isTrue();
        }
        for (String notRoot :
                List.of(
                        "/a",
                        "/?",
                        "/?x",
                        "example.com/a",
                        "product",
                        "user:1",
                        "/%2F",
                        "https://example.com/a",
                        "*.example.com",
                        "/a*")) {
            assertThat(NormalizedUrl.isRootPrefix(notRoot)).as("'%s'", notRoot).isFalse();
        }
    }

    @Test
    void theHostOfAUrlOrHostPathIsFoundAndAnUnparseableOneIsNot() {
        assertThat(NormalizedUrl.hostOf("https://WWW.Example.com:8080/a"))
                .contains("www.example.com");
        assertThat(NormalizedUrl.hostOf("www.example.com/a")).contains("www.example.com");
        assertThat(NormalizedUrl.hostOf("https://[::1]/a")).contains("[::1]");
        for (String none :
                List.of(
                        "/a",
                        "https://",
                        "https://u@www.example.com/",
                        "ftp://www.example.com/",
                        "https://www.example.com\\@evil/",
                        "https://exa mple.com/",
                        "%zz/")) {
            assertThat(NormalizedUrl.hostOf(none)).as(none).isEqualTo(Optional.empty());
        }
    }

    private static String written(NormalizedUrl url) {
        return url.scheme().isPresent()
                ? url.absolute()
                : url.authority().isPresent() ? url.hostPath() : url.pathAndQuery();
    }
}
