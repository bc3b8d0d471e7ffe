package dev.tagpurge.domain;

/**
 * How many selectors one purge request of a provider may carry. A request always holds selectors of
 * one kind and one mode.
 *
 * @param maxTags tags per request (Fastly 256, Cloudflare 100 by plan, …)
 * @param maxUrls URLs per request (1 where the API purges one URL per call)
 * @param maxPrefixes prefixes per request
 * @param maxBytes serialized size limit of one request body, or {@code Integer.MAX_VALUE}
 */
public record RequestLimits(int maxTags, int maxUrls, int maxPrefixes, int maxBytes) {

    public RequestLimits {
        if (maxTags < 1 || maxUrls < 1 || maxPrefixes < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("request limits must be positive");
        }
    }

    /** The item limit for one kind; everything is always alone in its request. */
    public int maxItems(SelectorKind kind) {
        return switch (kind) {
            case TAG -> maxTags;
            case URL -> maxUrls;
            case PREFIX -> maxPrefixes;
            case EVERYTHING -> 1;
        };
    }

    /**
     * The bytes one selector adds to a JSON request body: its UTF-8 length plus quotes and a comma.
     * An estimate on the safe side for ASCII values, which is what tags and encoded URLs are.
     */
    public static int bodyBytes(Selector selector) {
        return selector.value().length() + 3;
    }
}
