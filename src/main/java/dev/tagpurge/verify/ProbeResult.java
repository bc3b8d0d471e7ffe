package dev.tagpurge.verify;

/**
 * What one probe found.
 *
 * @param url the URL probed (or that would have been)
 * @param verdict the result
 * @param reason why, in a few words (the provider's cache status, the error)
 */
public record ProbeResult(String url, Verdict verdict, String reason) {

    /** The result of one probe, as the metric's {@code result} label says it. */
    public enum Verdict {
        /** A miss, or a cached copy younger than the purge. */
        VERIFIED("verified"),
        /** A cached copy older than the purge: the edge still served what was purged. */
        STALE_SERVED("stale-served"),
        /** No cache headers, an error, a timeout, a refused host, or no probe made. */
        UNVERIFIABLE("unverifiable");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static ProbeResult unverifiable(String url, String reason) {
        return new ProbeResult(url, Verdict.UNVERIFIABLE, reason);
    }
}
