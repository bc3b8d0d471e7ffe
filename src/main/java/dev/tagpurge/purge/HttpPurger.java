package dev.tagpurge.purge;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The flow every HTTP provider adapter shares, on a {@link ProviderHttpClient}: build the
 * provider's calls for one {@link PurgeRequest} (a request the provider cannot take is a permanent
 * {@code bad-request} before anything is sent), send them one after the other with their
 * authentication, stop at the first call not accepted, map each answer to a {@link PurgeResult} (a
 * call without an answer is retryable: timeout, connection, pool-full), bound every Retry-After
 * hint by {@code tagpurge.purge.max-retry-after}, and log each call.
 *
 * <p>A provider supplies what is its own: its call type {@code C} (which holds no credential), how
 * a call becomes an HTTP POST ({@link #http}: URL, headers, body, signing), its answer type {@code
 * A} with the headers it reads ({@link #answer}), and how an answer maps to a result ({@link
 * #result}), usually ending in {@link ProviderAnswers#byStatus} for what is not specific to it.
 *
 * @param <C> the provider's call, safe to log
 * @param <A> the parts of the provider's HTTP answer that decide the result
 */
public abstract class HttpPurger<C, A> implements Purger {

    private final ProviderHttpClient client;
    private final Clock clock;

    protected HttpPurger(ProviderHttpClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * The calls of one request, in the order they are sent; usually one.
     *
     * @throws IllegalArgumentException when the request holds something the provider cannot purge
     */
    protected abstract List<C> calls(PurgeRequest request);

    /** The POST of {@code call}, authentication included. */
    protected abstract HttpCall http(C call);

    /** The parts of {@code response} that decide the result. */
    protected abstract A answer(HttpResponse<Buffer> response);

    /** The result of {@code call} that got {@code answer}. */
    protected abstract PurgeResult result(C call, A answer, Instant now);

    /**
     * Logs one call: part {@code part} of {@code parts}, with the answer when there was one. Never
     * logs a credential.
     */
    protected abstract void log(
            PurgeRequest request,
            C call,
            int part,
            int parts,
            PurgeResult result,
            Optional<A> answer);

    @Override
    public final Uni<PurgeResult> purge(PurgeRequest request) {
        List<C> calls;
        try {
            calls = calls(request);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(PurgeResult.permanent("bad-request", e.getMessage()));
        }
        return sendFrom(request, calls, 0, new ArrayList<>());
    }

    // Calls go one after the other and stop at the first one not accepted, bounding what one batch
    // sends; a retry resends the whole request.
    private Uni<PurgeResult> sendFrom(
            PurgeRequest request, List<C> calls, int index, List<PurgeResult.Accepted> accepted) {
        return sendOne(request, calls, index)
                .flatMap(
                        result -> {
                            if (!(result instanceof PurgeResult.Accepted one)) {
                                return Uni.createFrom().item(result);
                            }
                            accepted.add(one);
                            return index + 1 < calls.size()
                                    ? sendFrom(request, calls, index + 1, accepted)
                                    : Uni.createFrom().item(combined(accepted));
                        });
    }

    private Uni<PurgeResult> sendOne(PurgeRequest request, List<C> calls, int index) {
        C call = calls.get(index);
        return Uni.createFrom()
                .deferred(() -> send(http(call)))
                .map(
                        response -> {
                            A answer = answer(response);
                            PurgeResult result =
                                    client.bounded(result(call, answer, clock.instant()));
                            log(
                                    request,
                                    call,
                                    index + 1,
                                    calls.size(),
                                    result,
                                    Optional.of(answer));
                            return result;
                        })
                .onFailure()
                .recoverWithItem(
                        failure -> {
                            PurgeResult result =
                                    ProviderAnswers.transportFailure(provider(), failure);
                            log(request, call, index + 1, calls.size(), result, Optional.empty());
                            return result;
                        });
    }

    private Uni<HttpResponse<Buffer>> send(HttpCall call) {
        HttpRequest<Buffer> http = client.post(call.url());
        call.headers().forEach(http::putHeader);
        return client.send(http, call.body().map(Buffer::buffer));
    }

    // One call's result as it is; several calls' ids together, the last remaining count, the
    // longest estimate (the purge has reached the network when its slowest call has).
    private static PurgeResult combined(List<PurgeResult.Accepted> accepted) {
        if (accepted.size() == 1) {
            return accepted.getFirst();
        }
        List<String> ids = new ArrayList<>();
        Map<String, String> idsByItem = new LinkedHashMap<>();
        OptionalLong estimated = OptionalLong.empty();
        for (PurgeResult.Accepted one : accepted) {
            ids.addAll(one.purgeIds());
            idsByItem.putAll(one.idsByItem());
            if (one.estimatedSeconds().isPresent()
                    && (estimated.isEmpty()
                            || one.estimatedSeconds().getAsLong() > estimated.getAsLong())) {
                estimated = one.estimatedSeconds();
            }
        }
        return new PurgeResult.Accepted(ids, idsByItem, accepted.getLast().remaining(), estimated);
    }
}
