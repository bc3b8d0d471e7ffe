package dev.tagpurge.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}), with {@code errors} naming each
 * bad field.
 *
 * @param type a URI naming the kind of problem, {@code urn:tagpurge:problem:<kind>}
 * @param retryAfterSeconds for a cooldown, when the request may be made again
 * @param reason for an invalid change event (see {@code POST /api/explain}), the reason the
 *     consumer would dead-letter it with: the {@code tagpurge-reason} header
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        List<FieldError> errors,
        Long retryAfterSeconds,
        String reason) {

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem without a dead-letter reason: every problem but an invalid event's. */
    public Problem(
            String type,
            String title,
            int status,
            String detail,
            List<FieldError> errors,
            Long retryAfterSeconds) {
        this(type, title, status, detail, errors, retryAfterSeconds, null);
    }

    /**
     * A change event the consumer would refuse: 422, with its dead-letter reason and cause.
     *
     * @param field where the problem is ({@code body}, an event field, {@code rules[i]})
     */
    static Problem invalidEvent(String reason, String cause, String field) {
        return new Problem(
                "urn:tagpurge:problem:invalid-event",
                "The change event is invalid",
                422,
                "the consumer would dead-letter this event with reason " + reason + ": " + cause,
                List.of(new FieldError(field, cause)),
                null,
                reason);
    }

    static Problem invalid(List<FieldError> errors) {
        return new Problem(
                "urn:tagpurge:problem:invalid-request",
                "The purge request is invalid",
                400,
                errors.size() + " field(s) are invalid; nothing was sent",
                List.copyOf(errors),
                null);
    }

    static Problem unauthenticated(String detail) {
        return new Problem(
                "urn:tagpurge:problem:unauthenticated",
                "Authentication required",
                401,
                detail,
                null,
                null);
    }

    static Problem forbidden(String detail, List<FieldError> errors) {
        return new Problem(
                "urn:tagpurge:problem:forbidden",
                "Not allowed for your role",
                403,
                detail,
                errors.isEmpty() ? null : List.copyOf(errors),
                null);
    }

    static Problem cooldown(String detail, List<FieldError> errors, long retryAfterSeconds) {
        return new Problem(
                "urn:tagpurge:problem:cooldown",
                "Everything was purged on this target too recently",
                429,
                detail,
                List.copyOf(errors),
                retryAfterSeconds);
    }

    static Problem notFound(String detail) {
        return new Problem("urn:tagpurge:problem:not-found", "Not found", 404, detail, null, null);
    }

    static Problem unavailable(String detail) {
        return new Problem(
                "urn:tagpurge:problem:unavailable",
                "The operator purge API is disabled",
                404,
                detail,
                null,
                null);
    }
}
