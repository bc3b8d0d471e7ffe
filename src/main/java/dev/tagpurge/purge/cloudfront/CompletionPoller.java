package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.purge.LogContext;
import dev.tagpurge.purge.PurgeResult;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.cloudfront.CloudFrontAsyncClient;
import software.amazon.awssdk.services.cloudfront.model.GetInvalidationResponse;

/**
 * Polls GetInvalidation every poll interval until CloudFront says {@code Completed}, then answers
 * {@link PurgeResult.Accepted} with the invalidation id. Never blocks: each wait is a Mutiny delay,
 * each call the SDK's future. A failed poll (throttling, 5xx, connection) is polled through; only a
 * refusal to read the invalidation at all ends it early, as permanent. Past the completion timeout
 * the purge is retryable {@code completion-timeout}.
 */
final class CompletionPoller {

    /** CloudFront's terminal status; compared ignoring case (moto says {@code COMPLETED}). */
    static final String COMPLETED = "Completed";

    private static final Logger LOG = Logger.getLogger(CompletionPoller.class);

    private final CloudFrontSettings settings;
    private final CloudFrontAsyncClient client;
    private final Clock clock;

    CompletionPoller(CloudFrontSettings settings, CloudFrontAsyncClient client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    static boolean isCompleted(String status) {
        return COMPLETED.equalsIgnoreCase(status);
    }

    /**
     * Waits for {@code invalidationId} to complete. The first GetInvalidation goes out at once when
     * CreateInvalidation already said Completed (an idempotent repeat of a finished batch), else
     * after one poll interval.
     */
    Uni<PurgeResult> awaitCompletion(String invalidationId, String createdStatus) {
        Instant deadline = clock.instant().plus(settings.completionTimeout());
        Duration first = isCompleted(createdStatus) ? Duration.ZERO : settings.pollInterval();
        return poll(invalidationId, deadline, first);
    }

    private Uni<PurgeResult> poll(String invalidationId, Instant deadline, Duration delay) {
        Uni<Void> wait =
                delay.isZero()
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(delay);
        return wait.onItem()
                .transformToUni(
                        ignored ->
                                Uni.createFrom()
                                        .completionStage(
                                                () ->
                                                        client.getInvalidation(
                                                                CloudFrontRequests.getRequest(
                                                                        settings.distributionId(),
                                                                        invalidationId))))
                .onItemOrFailure()
                .transformToUni(
                        (response, failure) -> next(invalidationId, deadline, response, failure));
    }

    private Uni<PurgeResult> next(
            String invalidationId,
            Instant deadline,
            GetInvalidationResponse response,
            Throwable failure) {
        if (failure == null && isCompleted(response.invalidation().status())) {
            return Uni.createFrom().item(PurgeResult.accepted(List.of(invalidationId)));
        }
        if (failure != null && CloudFrontErrors.isPermanentPollFailure(failure)) {
            return Uni.createFrom()
                    .item(
                            PurgeResult.permanent(
                                    "auth",
                                    "invalidation "
                                            + invalidationId
                                            + " was created but cannot be read, so its completion"
                                            + " is unknown (grant cloudfront:GetInvalidation): "
                                            + CloudFrontErrors.describe(failure)));
        }
        if (failure != null) {
            LOG.debugf(
                    "cloudfront target=%s invalidation=%s: poll failed, polling on: %s",
                    settings.target(), invalidationId, CloudFrontErrors.describe(failure));
        }
        if (!clock.instant().isBefore(deadline)) {
            try (var log =
                    LogContext.of(
                            LogContext.TARGET,
                            settings.target(),
                            "invalidationId",
                            invalidationId)) {
                LOG.warnf(
                        "cloudfront target=%s invalidation=%s: not Completed after %s",
                        settings.target(), invalidationId, settings.completionTimeout());
            }
            return Uni.createFrom()
                    .item(
                            new PurgeResult.Retryable(
                                    "completion-timeout",
                                    "invalidation "
                                            + invalidationId
                                            + " not Completed after "
                                            + settings.completionTimeout(),
                                    Optional.empty(),
                                    false));
        }
        return poll(invalidationId, deadline, settings.pollInterval());
    }
}
