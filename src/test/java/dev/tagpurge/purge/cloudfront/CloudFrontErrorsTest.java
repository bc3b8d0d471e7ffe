package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.purge.PurgeResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudfront.model.AccessDeniedException;
import software.amazon.awssdk.services.cloudfront.model.CloudFrontException;
import software.amazon.awssdk.services.cloudfront.model.InvalidArgumentException;
import software.amazon.awssdk.services.cloudfront.model.TooManyInvalidationsInProgressException;

class CloudFrontErrorsTest {

    private static final Duration POLL = Duration.ofSeconds(5);

    @Test
    void tooManyInvalidationsInProgressIsThrottledAndWaitsAPollInterval() {
        PurgeResult result =
                CloudFrontErrors.fromCreateFailure(
                        new CompletionException(
                                service(
                                        TooManyInvalidationsInProgressException.builder(),
                                        400,
                                        "TooManyInvalidationsInProgress")),
                        POLL);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("too-many-invalidations");
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.retryAfter()).contains(POLL);
                            assertThat(r.detail())
                                    .contains("HTTP 400 TooManyInvalidationsInProgress");
                        });
    }

    @Test
    void throttlingIsThrottledWithoutAHint() {
        PurgeResult result =
                CloudFrontErrors.fromCreateFailure(
                        service(CloudFrontException.builder(), 400, "Throttling"), POLL);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("throttled");
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.retryAfter()).isEmpty();
                        });
    }

    @Test
    void serverErrorsAreRetryable() {
        assertThat(
                        CloudFrontErrors.fromCreateFailure(
                                service(CloudFrontException.builder(), 503, "ServiceUnavailable"),
                                POLL))
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("server-error");
                            assertThat(r.throttled()).isFalse();
                        });
    }

    @Test
    void authFailuresArePermanent() {
        assertThat(
                        CloudFrontErrors.fromCreateFailure(
                                service(AccessDeniedException.builder(), 403, "AccessDenied"),
                                POLL))
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class, p -> assertThat(p.reason()).isEqualTo("auth"));
        assertThat(
                        CloudFrontErrors.fromCreateFailure(
                                service(CloudFrontException.builder(), 400, "InvalidClientTokenId"),
                                POLL))
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class, p -> assertThat(p.reason()).isEqualTo("auth"));
    }

    @Test
    void invalidArgumentIsAPermanentBadRequest() {
        assertThat(
                        CloudFrontErrors.fromCreateFailure(
                                service(InvalidArgumentException.builder(), 400, "InvalidArgument"),
                                POLL))
                .isEqualTo(
                        PurgeResult.permanent(
                                "bad-request",
                                "cloudfront HTTP 400 InvalidArgument: message of InvalidArgument"));
    }

    @Test
    void batchAlreadyExistsIsPermanentAndSaysWhy() {
        assertThat(
                        CloudFrontErrors.fromCreateFailure(
                                service(
                                        CloudFrontException.builder(),
                                        409,
                                        "InvalidationBatchAlreadyExists"),
                                POLL))
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p -> {
                            assertThat(p.reason()).isEqualTo("caller-reference-conflict");
                            assertThat(p.detail()).contains("CallerReference");
                        });
    }

    @Test
    void transportFailuresAreRetryableAsConnectionOrTimeout() {
        assertThat(
                        CloudFrontErrors.fromCreateFailure(
                                new CompletionException(
                                        SdkClientException.create(
                                                "Unable to execute HTTP request",
                                                new IOException("Connection refused"))),
                                POLL))
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("connection"));
        assertThat(CloudFrontErrors.fromCreateFailure(ApiCallTimeoutException.create(30_000), POLL))
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("timeout"));
    }

    @Test
    void onlyAuthFailuresEndPollingEarly() {
        assertThat(
                        CloudFrontErrors.isPermanentPollFailure(
                                new CompletionException(
                                        service(
                                                AccessDeniedException.builder(),
                                                403,
                                                "AccessDenied"))))
                .isTrue();
        assertThat(
                        CloudFrontErrors.isPermanentPollFailure(
                                service(CloudFrontException.builder(), 404, "NoSuchInvalidation")))
                .isFalse();
        assertThat(
                        CloudFrontErrors.isPermanentPollFailure(
                                service(CloudFrontException.builder(), 503, "ServiceUnavailable")))
                .isFalse();
        assertThat(CloudFrontErrors.isPermanentPollFailure(SdkClientException.create("x")))
                .isFalse();
    }

    @Test
    void completedIsRecognisedInAnyCase() {
        assertThat(CompletionPoller.isCompleted("Completed")).isTrue();
        assertThat(CompletionPoller.isCompleted("COMPLETED")).isTrue();
        assertThat(CompletionPoller.isCompleted("InProgress")).isFalse();
        assertThat(CompletionPoller.isCompleted(null)).isFalse();
    }

    @Test
    void theDetailIsBounded() {
        String detail =
                CloudFrontErrors.describe(
                        CloudFrontException.builder()
                                .statusCode(400)
                                .awsErrorDetails(
                                        AwsErrorDetails.builder()
                                                .errorCode("InvalidArgument")
                                                .errorMessage("x".repeat(1000))
                                                .build())
                                .build());

        assertThat(detail).hasSizeLessThanOrEqualTo(301);
        assertThat(Optional.of(detail)).hasValueSatisfying(d -> assertThat(d).endsWith("…"));
    }

    private static CloudFrontException service(
            CloudFrontException.Builder builder, int status, String code) {
        return (CloudFrontException)
                builder.statusCode(status)
                        .awsErrorDetails(
                                AwsErrorDetails.builder()
                                        .errorCode(code)
                                        .errorMessage("message of " + code)
                                        .serviceName("CloudFront")
                                        .build())
                        .build();
    }
}
