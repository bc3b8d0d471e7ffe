package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.Selector;
import dev.tagpurge.testing.HostileSelectors;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * CloudFront paths from hostile selectors are refused or valid invalidation paths: starting with
 * {@code /}, printable ASCII only (non-ASCII and spaces percent-encoded), {@code *} only as the
 * last character of a prefix, at most 4000 characters, no dot segment, and never {@code /*} from a
 * prefix. The SDK signs the request; selectors only ever fill the batch's path items.
 */
class CloudFrontHostileSelectorsTest {

    @Test
    void everyHostileUrlIsRefusedOrAValidPathWithoutWildcard() {
        int sent = 0;
        for (String value : HostileSelectors.corpus(5000)) {
            Optional<String> path = pathOf(new Selector.Url(value));
            if (path.isPresent()) {
                sent++;
                assertValidPath(path.get(), value);
                assertThat(path.get()).as(value).doesNotContain("*");
            }
        }
        assertThat(sent).isGreaterThan(100);
    }

    @Test
    void everyHostilePrefixIsRefusedOrAValidPathEndingInItsOnlyWildcard() {
        int sent = 0;
        for (String value : HostileSelectors.corpus(5000)) {
            Optional<String> path = pathOf(new Selector.Prefix(value));
            if (path.isPresent()) {
                sent++;
                assertValidPath(path.get(), value);
                assertThat(path.get().indexOf('*')).as(value).isEqualTo(path.get().length() - 1);
                assertThat(path.get()).as(value).isNotEqualTo(CloudFrontPaths.EVERYTHING);
                assertThat(path.get().replace("/", "")).as(value).isNotEqualTo("*");
            }
        }
        assertThat(sent).isGreaterThan(100);
    }

    private static void assertValidPath(String path, String value) {
        assertThat(path).as(value).startsWith("/").matches("[!-~]+");
        assertThat(path.length()).as(value).isLessThanOrEqualTo(CloudFrontPaths.MAX_PATH_CHARS);
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        assertThat(withoutQuery.split("/", -1)).as(value).doesNotContain(".", "..");
    }

    private static Optional<String> pathOf(Selector selector) {
        return CloudFrontPaths.rejectReason(selector).isPresent()
                ? Optional.empty()
                : Optional.of(CloudFrontPaths.path(selector));
    }
}
