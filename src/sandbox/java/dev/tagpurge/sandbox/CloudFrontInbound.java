package dev.tagpurge.sandbox;

import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request to the emulated CloudFront API, parsed but not yet judged.
 *
 * @param action {@link #CREATE} or {@link #GET}
 * @param path the path below the CloudFront root, with the query string if any
 * @param distributionId the distribution named in the path
 * @param invalidationId the invalidation named in the path ({@link #GET} only)
 * @param authorization the {@code Authorization} header, used for the scheme check and never
 *     recorded
 * @param batch the parsed {@code InvalidationBatch} ({@link #CREATE} with a body only)
 * @param bodyError why the body could not be parsed, if it could not
 * @param headers the request headers worth recording (never credentials)
 * @param absoluteUri the request's absolute URI, from which {@code Location} is built
 */
record CloudFrontInbound(
        String action,
        String path,
        String distributionId,
        Optional<String> invalidationId,
        Optional<String> authorization,
        Optional<CloudFrontXml.Batch> batch,
        Optional<String> bodyError,
        Map<String, String> headers,
        String absoluteUri) {

    static final String CREATE = "create-invalidation";
    static final String GET = "get-invalidation";

    /** {@link #bodyError()} of a create without a body. */
    static final String MISSING_BODY = "missing body";

    /**
     * The pseudo-header under which a create's CallerReference is recorded: {@link RecordedPurge}
     * has no body, and tests and scripts check that retries reuse the reference.
     */
    static final String CALLER_REFERENCE = "CallerReference";

    CloudFrontInbound {
        headers = Map.copyOf(headers);
    }

    /** Parses a request that matched the route of {@code action} below {@code root}. */
    static CloudFrontInbound parse(RoutingContext ctx, String root, String action) {
        String rawPath = ctx.request().path();
        String base = mountPoint(ctx) + root;
        String relative = rawPath.startsWith(base) ? rawPath.substring(base.length()) : rawPath;
        String query = ctx.request().query();
        Optional<CloudFrontXml.Batch> batch = Optional.empty();
        Optional<String> error = Optional.empty();
        if (CREATE.equals(action)) {
            String body = ctx.body() == null ? null : ctx.body().asString();
            if (body == null || body.isBlank()) {
                error = Optional.of(MISSING_BODY);
            } else {
                try {
                    batch = Optional.of(CloudFrontXml.parseBatch(body));
                } catch (IllegalArgumentException e) {
                    error = Optional.of(e.getMessage());
                }
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        batch.flatMap(CloudFrontXml.Batch::callerReference)
                .ifPresent(reference -> headers.put(CALLER_REFERENCE, reference));
        return new CloudFrontInbound(
                action,
                query == null ? relative : relative + "?" + query,
                ctx.pathParam("distributionId"),
                Optional.ofNullable(ctx.pathParam("invalidationId")),
                Optional.ofNullable(ctx.request().getHeader("Authorization")),
                batch,
                error,
                headers,
                ctx.request().absoluteURI());
    }

    /** The paths the request names: the batch's items for a create, none for a get. */
    List<String> items() {
        return batch.map(CloudFrontXml.Batch::paths).orElse(List.of());
    }

    // Inside Quarkus with a non-default root path the router is itself mounted below that path.
    private static String mountPoint(RoutingContext ctx) {
        String mount = ctx.mountPoint();
        return mount == null || mount.equals("/") ? "" : mount.replaceAll("/+$", "");
    }
}
