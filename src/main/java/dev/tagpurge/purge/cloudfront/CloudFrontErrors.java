package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.purge.PurgeResult;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Maps what the SDK threw to {@link PurgeResult}s: TooManyInvalidationsInProgress and throttling
 * are throttled (retry after {@code retryAfter}), 5xx, timeouts and connection failures retryable;
 * authentication, authorization, InvalidationBatchAlreadyExists and other 4xx permanent. Pure
 * functions, tested without a network.
 */
final class CloudFrontErrors {

    static final String TOO_MANY_IN_PROGRESS = "TooManyInvalidationsInProgress";
    static final String BATCH_ALREADY_EXISTS = "InvalidationBatchAlreadyExists";

    private static final int MAX_DETAIL = 300;
    private static final Set<String> AUTH_CODES =
            Set.of(
                    "AccessDenied",
                    "AccessDeniedException",
                    "InvalidClientTokenId",
                    "SignatureDoesNotMatch",
                    "IncompleteSignature",
                    "MissingAuthenticationToken",
                    "UnrecognizedClientException",
                    "ExpiredToken",
                    "ExpiredTokenException");

    private CloudFrontErrors() {}

    /**
     * The result of a CreateInvalidation that failed.
     *
     * @param retryAfter the wait suggested when CloudFront says too many invalidations are in
     *     progress: one poll interval, by when some may have completed
     */
    static PurgeResult fromCreateFailure(Throwable failure, Duration retryAfter) {
        Throwable cause = unwrap(failure);
        if (cause instanceof AwsServiceException aws) {
            return fromService(aws, retryAfter);
        }
        return fromTransport(cause);
    }

    /**
     * Whether a GetInvalidation failure means the invalidation cannot be watched at all (the
     * credentials may create but not read invalidations), rather than a hiccup worth polling
     * through. An unknown invalidation is polled through: a fresh one may not be readable at once.
     */
    static boolean isPermanentPollFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (!(cause instanceof AwsServiceException aws)) {
            return false;
        }
        int status = aws.statusCode();
        return status == 401 || status == 403 || AUTH_CODES.contains(errorCode(aws));
    }

    /** A short description of a failure, without credentials: the SDK never puts them in one. */
    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof AwsServiceException aws) {
            return truncate(
                    "cloudfront HTTP "
                            + aws.statusCode()
                            + " "
                            + errorCode(aws)
                            + ": "
                            + errorMessage(aws));
        }
        return truncate(
                "cloudfront request failed: "
                        + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static PurgeResult fromService(AwsServiceException aws, Duration retryAfter) {
        String code = errorCode(aws);
        String detail = describe(aws);
        int status = aws.statusCode();
        if (TOO_MANY_IN_PROGRESS.equals(code)) {
            return new PurgeResult.Retryable(
                    "too-many-invalidations", detail, Optional.of(retryAfter), true);
        }
        if (aws.isThrottlingException() || status == 429) {
            return PurgeResult.throttled(detail, Optional.empty());
        }
        if (BATCH_ALREADY_EXISTS.equals(code)) {
            return PurgeResult.permanent(
                    "caller-reference-conflict",
                    truncate(
                            detail
                                    + " (the same CallerReference was sent before with other"
                                    + " paths; the batch needs a new id)"));
        }
        if (status >= 500) {
            return PurgeResult.retryable("server-error", detail);
        }
        if (status == 401 || status == 403 || AUTH_CODES.contains(code)) {
            return PurgeResult.permanent("auth", detail);
        }
        return status >= 400
                ? PurgeResult.permanent("bad-request", detail)
                : PurgeResult.permanent("unexpected-status", detail);
    }

    private static PurgeResult fromTransport(Throwable cause) {
        boolean timeout =
                cause instanceof ApiCallTimeoutException
                        || cause instanceof ApiCallAttemptTimeoutException
                        || cause instanceof TimeoutException
                        || cause.getClass().getSimpleName().contains("Timeout")
                        || (cause instanceof SdkClientException
                                && cause.getCause() != null
                                && cause.getCause().getClass().getSimpleName().contains("Timeout"));
        return PurgeResult.retryable(timeout ? "timeout" : "connection", describe(cause));
    }

    private static String errorCode(AwsServiceException aws) {
        return aws.awsErrorDetails() == null || aws.awsErrorDetails().errorCode() == null
                ? "Unknown"
                : aws.awsErrorDetails().errorCode();
    }

    private static String errorMessage(AwsServiceException aws) {
        String message =
                aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
        return message == null ? String.valueOf(aws.getMessage()) : message;
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
