package dev.tagpurge.sandbox;

import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An answer of the emulated CloudFront API: a status, an XML body and headers, always with an
 * {@code x-amzn-RequestId} as CloudFront sends.
 *
 * @param status HTTP status
 * @param xml the XML body
 * @param headers response headers, including {@code x-amzn-RequestId}
 */
record CloudFrontReply(int status, String xml, Map<String, String> headers) {

    static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    CloudFrontReply {
        headers = Map.copyOf(headers);
    }

    /** A success answer carrying {@code xml}. */
    static CloudFrontReply ok(int status, String xml) {
        return new CloudFrontReply(status, xml, Map.of(REQUEST_ID_HEADER, requestId()));
    }

    /** An AWS XML error answer. */
    static CloudFrontReply error(int status, String code, String message) {
        String requestId = requestId();
        return new CloudFrontReply(
                status,
                CloudFrontXml.error(status, code, message, requestId),
                Map.of(REQUEST_ID_HEADER, requestId));
    }

    /** The answer to a request failed by an injected fault, with the code CloudFront would use. */
    static CloudFrontReply fault(int status) {
        String code =
                switch (status) {
                    case 400 -> "InvalidArgument";
                    case 403 -> "AccessDenied";
                    case 404 -> "NoSuchDistribution";
                    case 429 -> "Throttling";
                    case 500 -> "InternalFailure";
                    case 503 -> "ServiceUnavailable";
                    default -> "SandboxInjectedFault";
                };
        return error(status, code, "sandbox injected fault (HTTP " + status + ")");
    }

    CloudFrontReply withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new CloudFrontReply(status, xml, copy);
    }

    /** Writes this reply unless the client has already gone away. */
    void send(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status);
        headers.forEach(ctx.response()::putHeader);
        ctx.response().putHeader("Content-Type", "text/xml").end(xml);
    }

    private static String requestId() {
        return UUID.randomUUID().toString();
    }
}
