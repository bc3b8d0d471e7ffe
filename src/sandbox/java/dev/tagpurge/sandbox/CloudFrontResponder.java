package dev.tagpurge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides the emulated CloudFront API's answers and holds its invalidations, in CloudFront's order:
 * credentials, request shape, idempotency (CallerReference), in-progress limits. Any distribution
 * id is accepted. Thread-safe.
 */
final class CloudFrontResponder {

    static final int MAX_PATH_CHARS = 4000;
    static final int MAX_TAG_CHARS = 256;
    static final String SIGNING_SCHEME = "AWS4-HMAC-SHA256";
    static final String INVALID_PATHS =
            "Your request contains one or more invalid invalidation paths.";

    // Completed invalidations kept per distribution for GetInvalidation and idempotent repeats.
    private static final int MAX_KEPT_PER_DISTRIBUTION = 10_000;
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private final CloudFrontEmulatorSettings settings;
    private final Clock clock;
    private final Map<String, LinkedHashMap<String, CloudFrontInvalidation>> byDistribution =
            new HashMap<>();
    private Duration completionDelay;
    private long sequence;

    CloudFrontResponder(CloudFrontEmulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.completionDelay = settings.completionDelay();
    }

    /** The answer to a request that no fault intercepted. */
    CloudFrontReply answer(CloudFrontInbound in) {
        Optional<CloudFrontReply> denied = authenticate(in);
        if (denied.isPresent()) {
            return denied.get();
        }
        return CloudFrontInbound.CREATE.equals(in.action()) ? create(in) : get(in);
    }

    synchronized void completionDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("completion delay must not be negative");
        }
        completionDelay = delay;
    }

    synchronized Duration completionDelay() {
        return completionDelay;
    }

    /** Every invalidation kept, oldest first per distribution. */
    synchronized List<CloudFrontInvalidation> invalidations() {
        List<CloudFrontInvalidation> all = new ArrayList<>();
        byDistribution.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    /** Forgets every invalidation and restores the configured completion delay. */
    synchronized void reset() {
        byDistribution.clear();
        completionDelay = settings.completionDelay();
    }

    // The signature itself is not checked: the emulator holds no secret keys.
    private static Optional<CloudFrontReply> authenticate(CloudFrontInbound in) {
        String auth = in.authorization().map(String::strip).orElse("");
        if (auth.isEmpty()) {
            return Optional.of(
                    CloudFrontReply.error(
                            403, "MissingAuthenticationToken", "Missing Authentication Token"));
        }
        if (!auth.startsWith(SIGNING_SCHEME + " ")) {
            return Optional.of(
                    CloudFrontReply.error(
                            403,
                            "IncompleteSignature",
                            "Authorization header requires the "
                                    + SIGNING_SCHEME
                                    + " (Signature Version 4) scheme."));
        }
        return Optional.empty();
    }

    private synchronized CloudFrontReply create(CloudFrontInbound in) {
        if (in.bodyError().isPresent()) {
            return bodyError(in.bodyError().get());
        }
        CloudFrontXml.Batch batch = in.batch().orElseThrow();
        Optional<CloudFrontReply> invalid = validate(batch);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        String reference = batch.callerReference().orElseThrow();
        Instant now = clock.instant();
        LinkedHashMap<String, CloudFrontInvalidation> invalidations =
                byDistribution.computeIfAbsent(in.distributionId(), d -> new LinkedHashMap<>());
        Optional<CloudFrontInvalidation> twin =
                invalidations.values().stream()
                        .filter(i -> i.callerReference().equals(reference))
                        .findFirst();
        if (twin.isPresent()) {
            return samePaths(twin.get().paths(), batch.paths())
                    ? created(in, twin.get(), now)
                    : CloudFrontReply.error(
                            409,
                            "InvalidationBatchAlreadyExists",
                            "The CallerReference "
                                    + reference
                                    + " was used before with other paths.");
        }
        Optional<CloudFrontReply> overLimit = checkInProgress(invalidations, batch.paths(), now);
        if (overLimit.isPresent()) {
            return overLimit.get();
        }
        CloudFrontInvalidation invalidation =
                new CloudFrontInvalidation(
                        in.distributionId(),
                        nextId(),
                        reference,
                        batch.paths(),
                        now,
                        now.plus(completionDelay));
        invalidations.put(invalidation.id(), invalidation);
        prune(invalidations, now);
        return created(in, invalidation, now);
    }

    private static CloudFrontReply bodyError(String error) {
        return CloudFrontInbound.MISSING_BODY.equals(error)
                ? CloudFrontReply.error(
                        400,
                        "MissingBody",
                        "This operation requires a body. Ensure that the body is present and the"
                                + " Content-Type header is set.")
                : CloudFrontReply.error(400, "MalformedInput", error);
    }

    private synchronized CloudFrontReply get(CloudFrontInbound in) {
        String id = in.invalidationId().orElse("");
        CloudFrontInvalidation invalidation =
                byDistribution.getOrDefault(in.distributionId(), new LinkedHashMap<>()).get(id);
        if (invalidation == null) {
            return CloudFrontReply.error(
                    404, "NoSuchInvalidation", "The specified invalidation does not exist.");
        }
        return CloudFrontReply.ok(200, CloudFrontXml.invalidation(invalidation, clock.instant()));
    }

    private Optional<CloudFrontReply> validate(CloudFrontXml.Batch batch) {
        if (batch.callerReference().map(String::isBlank).orElse(true)) {
            return Optional.of(
                    CloudFrontReply.error(400, "InvalidArgument", "CallerReference is required."));
        }
        if (batch.quantity().isEmpty()) {
            return Optional.of(
                    CloudFrontReply.error(
                            400, "InvalidArgument", "Paths with a Quantity is required."));
        }
        if (batch.quantity().get() != batch.paths().size()) {
            return Optional.of(
                    CloudFrontReply.error(
                            400,
                            "InconsistentQuantities",
                            "The value of Quantity and the size of Items don't match."));
        }
        if (batch.paths().isEmpty()) {
            return Optional.of(
                    CloudFrontReply.error(400, "InvalidArgument", "Paths must not be empty."));
        }
        if (batch.paths().size() > settings.maxPathsInProgress()) {
            return Optional.of(
                    CloudFrontReply.error(
                            413, "BatchTooLarge", "Invalidation batch specified is too large."));
        }
        return batch.paths().stream()
                .map(CloudFrontResponder::invalidItem)
                .flatMap(Optional::stream)
                .findFirst()
                .map(
                        reason ->
                                CloudFrontReply.error(
                                        400,
                                        "InvalidArgument",
                                        INVALID_PATHS + " (" + reason + ")"));
    }

    /** Why CloudFront would refuse one path or {@code #tag} item, or empty when it takes it. */
    static Optional<String> invalidItem(String item) {
        if (item.startsWith("#")) {
            String tag = item.substring(1);
            if (tag.isEmpty() || tag.length() > MAX_TAG_CHARS) {
                return Optional.of("a tag is 1 to " + MAX_TAG_CHARS + " characters");
            }
            if (tag.chars().anyMatch(c -> c < 33 || c > 126 || c == ',' || c == '*')) {
                return Optional.of("a tag is printable ASCII without comma or wildcard");
            }
            return Optional.empty();
        }
        if (!item.startsWith("/")) {
            return Optional.of("a path starts with / (or # for a tag)");
        }
        if (item.length() > MAX_PATH_CHARS) {
            return Optional.of("a path is at most " + MAX_PATH_CHARS + " characters");
        }
        int star = item.indexOf('*');
        if (star >= 0 && star != item.length() - 1) {
            return Optional.of("* is allowed only as the last character");
        }
        if (item.chars().anyMatch(c -> c < 33 || c > 126)) {
            return Optional.of("non-ASCII and space characters must be URL-encoded");
        }
        return Optional.empty();
    }

    private Optional<CloudFrontReply> checkInProgress(
            Map<String, CloudFrontInvalidation> invalidations, List<String> paths, Instant now) {
        int busyPaths = 0;
        int busyWildcards = 0;
        for (CloudFrontInvalidation i : invalidations.values()) {
            if (i.inProgress(now)) {
                busyPaths += i.paths().size();
                busyWildcards += i.wildcards();
            }
        }
        int wildcards = (int) paths.stream().filter(CloudFrontInvalidation::isWildcard).count();
        if (busyWildcards + wildcards > settings.maxWildcardsInProgress()) {
            return Optional.of(
                    tooMany("wildcard invalidations", settings.maxWildcardsInProgress()));
        }
        if (busyPaths + paths.size() > settings.maxPathsInProgress()) {
            return Optional.of(tooMany("invalidation paths", settings.maxPathsInProgress()));
        }
        return Optional.empty();
    }

    private static CloudFrontReply tooMany(String what, int limit) {
        return CloudFrontReply.error(
                400,
                "TooManyInvalidationsInProgress",
                "Processing your request will cause you to exceed the maximum number of in-progress "
                        + what
                        + " ("
                        + limit
                        + ").");
    }

    private static CloudFrontReply created(
            CloudFrontInbound in, CloudFrontInvalidation invalidation, Instant now) {
        String base = in.absoluteUri();
        int query = base.indexOf('?');
        base = query < 0 ? base : base.substring(0, query);
        return CloudFrontReply.ok(201, CloudFrontXml.invalidation(invalidation, now))
                .withHeader("Location", base + "/" + invalidation.id());
    }

    private static boolean samePaths(List<String> a, List<String> b) {
        return a.size() == b.size()
                && a.stream().sorted().toList().equals(b.stream().sorted().toList());
    }

    // Completed invalidations beyond the bound are forgotten, oldest first; in-progress ones stay.
    private static void prune(Map<String, CloudFrontInvalidation> invalidations, Instant now) {
        Iterator<CloudFrontInvalidation> it = invalidations.values().iterator();
        while (invalidations.size() > MAX_KEPT_PER_DISTRIBUTION && it.hasNext()) {
            if (!it.next().inProgress(now)) {
                it.remove();
            }
        }
    }

    // Shaped like CloudFront's ids ("I" and 13 upper-case letters or digits), unique per sandbox.
    private String nextId() {
        StringBuilder id = new StringBuilder("I");
        String seq = Long.toString(++sequence, 36).toUpperCase(Locale.ROOT);
        for (int i = seq.length(); i < 5; i++) {
            id.append('0');
        }
        id.append(seq);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (id.length() < 14) {
            id.append(ID_CHARS[random.nextInt(ID_CHARS.length)]);
        }
        return id.toString();
    }
}
