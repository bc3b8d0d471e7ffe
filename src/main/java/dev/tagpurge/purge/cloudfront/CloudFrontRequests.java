package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationRequest;
import software.amazon.awssdk.services.cloudfront.model.GetInvalidationRequest;

/**
 * Builds CloudFront invalidations from purge requests. Pure functions, so request shapes and caller
 * references are tested without a network.
 *
 * <p>The CallerReference is {@code tagpurge-<batchId>-<hash of the paths>}: a retry of the same
 * batch with the same paths sends the same reference, so CloudFront returns the invalidation it
 * already has instead of creating (and billing) another; a retry that sends only part of a batch
 * gets a reference of its own instead of InvalidationBatchAlreadyExists.
 */
final class CloudFrontRequests {

    private static final Pattern PLAIN_BATCH_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private CloudFrontRequests() {}

    /**
     * The invalidation for one request: every selector mapped to its path, duplicates dropped
     * (several URLs can share a path once the host is gone), soft sent as hard; with {@code
     * wildcard-collapse-threshold}, many URL paths in one directory sent as its wildcard ({@link
     * WildcardCollapse}).
     *
     * @throws IllegalArgumentException when the request holds something CloudFront cannot take, or
     *     more than the settings allow in one invalidation
     */
    static InvalidationPlan plan(PurgeRequest request, CloudFrontSettings settings) {
        Set<String> paths = new LinkedHashSet<>();
        for (Selector selector : request.selectors()) {
            if (selector.kind() != request.kind()) {
                throw new IllegalArgumentException(
                        "a request of kind " + request.kind().label() + " holds a " + selector);
            }
            paths.add(CloudFrontPaths.path(selector));
        }
        int limit =
                request.kind() == SelectorKind.PREFIX
                        ? settings.maxPrefixesPerRequest()
                        : request.kind() == SelectorKind.EVERYTHING
                                ? 1
                                : settings.maxPathsPerRequest();
        if (paths.size() > limit) {
            throw new IllegalArgumentException(
                    "cloudfront takes at most "
                            + limit
                            + " "
                            + request.kind().label()
                            + " paths per invalidation here, got "
                            + paths.size());
        }
        List<String> items = List.copyOf(paths);
        if (request.kind() == SelectorKind.URL && settings.collapsesWildcards()) {
            items =
                    WildcardCollapse.collapse(
                            items,
                            settings.wildcardCollapseThreshold(),
                            settings.maxPrefixesPerRequest());
        }
        int wildcards = (int) items.stream().filter(CloudFrontPaths::isWildcard).count();
        return new InvalidationPlan(callerReference(request.batchId(), items), items, wildcards);
    }

    /** {@code tagpurge-<batchId>-<first 16 hex digits of SHA-256 of the paths>}. */
    static String callerReference(String batchId, List<String> paths) {
        String batch = PLAIN_BATCH_ID.matcher(batchId).matches() ? batchId : sha256(batchId, 32);
        return "tagpurge-" + batch + "-" + sha256(String.join("\n", paths), 16);
    }

    static CreateInvalidationRequest createRequest(String distributionId, InvalidationPlan plan) {
        return CreateInvalidationRequest.builder()
                .distributionId(distributionId)
                .invalidationBatch(
                        batch ->
                                batch.callerReference(plan.callerReference())
                                        .paths(
                                                paths ->
                                                        paths.quantity(plan.items())
                                                                .items(plan.paths())))
                .build();
    }

    static GetInvalidationRequest getRequest(String distributionId, String invalidationId) {
        return GetInvalidationRequest.builder()
                .distributionId(distributionId)
                .id(invalidationId)
                .build();
    }

    private static String sha256(String value, int hexDigits) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
