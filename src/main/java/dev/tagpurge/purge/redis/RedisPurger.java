package dev.tagpurge.purge.redis;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.AffectedKeys;
import dev.tagpurge.purge.LogContext;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Purges a Redis application cache through its tag index.
 *
 * <ul>
 *   <li><b>tags</b>: applications register each cached key with {@code SADD <ns>tag:<tag> <key>}; a
 *       tag purge deletes the set's members with UNLINK and removes them from the set, in chunks of
 *       {@value TagIndexPurge#CHUNK}, until the set is gone. Members leave the set only together
 *       with (or after) their keys, so a purge interrupted at any point loses nothing: the retry
 *       finds the rest in the set, and re-purging is harmless.
 *   <li><b>prefixes</b>: {@code SCAN MATCH <ns><prefix>*} (glob specials escaped, so a prefix
 *       matches only keys that literally start with it) and UNLINK per page. Prefixes are relative
 *       to the namespace, so a prefix never reaches beyond what everything reaches; one that
 *       reduces to the root (empty, {@code /}, {@code *}, …) is refused as everything in disguise.
 *   <li><b>everything</b>: every tag set under {@code <ns>tag:} is purged as above (its members may
 *       live outside the namespace), then every key under {@code <ns>} is unlinked. Nothing outside
 *       the namespace that no tag names is touched; never FLUSHDB, FLUSHALL or KEYS.
 *   <li><b>urls</b>: rejected, Redis has no URL purge. <b>soft</b> mode purges hard: deleting is
 *       always a correct way to make a cache entry stale.
 * </ul>
 *
 * <p><b>Standalone and Sentinel</b> clients purge a chunk with one Lua script (SPOP + UNLINK,
 * EVALSHA with EVAL fallback), the first chunk of every tag in one pipeline. <b>Cluster</b>: when
 * the target's Quarkus Redis client is configured with {@code client-type=cluster} ({@code
 * quarkus.redis.client-type}, or {@code quarkus.redis.<client>.client-type} for the client named by
 * {@code tagpurge.targets.<name>.client}), the purger is cluster-safe: no Lua, SSCAN then one
 * UNLINK per member then SREM. SCAN visits one node of a cluster only, so in that mode prefix and
 * everything selectors are rejected for the target rather than half done.
 *
 * <p>Redis 6.2 or newer (UNLINK, SPOP with count, SCAN with TYPE).
 */
public final class RedisPurger implements Purger {

    /** The provider name, {@code tagpurge.targets.<name>.provider=redis}. */
    public static final String PROVIDER = "redis";

    /** Tags per request unless {@code batch-size} says otherwise. */
    public static final int DEFAULT_MAX_TAGS = 100;

    /**
     * The most tags one request may carry: their first chunks go out as one pipeline, and the
     * Vert.x client queues at most 2048 commands per connection by default.
     */
    public static final int MAX_TAGS = 1000;

    /** Prefixes per request: each is its own SCAN over the namespace, so keep requests short. */
    public static final int MAX_PREFIXES = 10;

    private static final Logger LOG = Logger.getLogger(RedisPurger.class);

    private final String target;
    private final RedisNamespace namespace;
    private final RequestLimits limits;
    private final boolean clusterSafe;
    private final TagIndexPurge tagIndex;
    private final KeyspaceScan scan;
    private final Redis redis;

    private RedisPurger(
            String target,
            RedisNamespace namespace,
            RequestLimits limits,
            boolean clusterSafe,
            TagIndexPurge tagIndex,
            KeyspaceScan scan,
            Redis redis) {
        this.target = target;
        this.redis = redis;
        this.namespace = namespace;
        this.limits = limits;
        this.clusterSafe = clusterSafe;
        this.tagIndex = tagIndex;
        this.scan = scan;
    }

    /**
     * A purger for target {@code target} over {@code redis}.
     *
     * @param namespace key namespace, non-empty (e.g. {@code tagpurge:})
     * @param maxTags tags per request, 1 to {@value #MAX_TAGS}
     * @param clusterSafe whether {@code redis} is a Redis Cluster client (see the class comment)
     */
    public static RedisPurger create(
            String target, Redis redis, String namespace, int maxTags, boolean clusterSafe) {
        TagIndexPurge tagIndex =
                clusterSafe ? new ClusterTagIndexPurge(redis) : new ScriptedTagIndexPurge(redis);
        RequestLimits limits = new RequestLimits(maxTags, 1, MAX_PREFIXES, Integer.MAX_VALUE);
        return new RedisPurger(
                target,
                new RedisNamespace(namespace),
                limits,
                clusterSafe,
                tagIndex,
                new KeyspaceScan(redis),
                redis);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public RequestLimits limits() {
        return limits;
    }

    @Override
    public boolean caseInsensitiveTags() {
        return false;
    }

    /** The application cache: the inner layer, purged before the CDNs that refill from it. */
    @Override
    public int defaultLayer() {
        return 0;
    }

    @Override
    public Optional<String> rejectReason(Selector selector, PurgeMode mode) {
        if (selector.kind() == SelectorKind.PREFIX
                && NormalizedUrl.isRootPrefix(selector.value())) {
            // Events turn such prefixes into everything before they get here; a prefix that still
            // matched the whole namespace would bypass the permission everything needs.
            return Optional.of("redis prefix reduces to the whole namespace; purge everything");
        }
        return switch (selector.kind()) {
            case TAG -> Optional.empty();
            case URL -> Optional.of("redis has no URL purge");
            case PREFIX, EVERYTHING ->
                    clusterSafe
                            ? Optional.of(
                                    "redis cluster: SCAN cannot cover all nodes, so "
                                            + selector.kind().label()
                                            + " purges need a standalone or sentinel client")
                            : Optional.empty();
        };
    }

    @Override
    public Uni<PurgeResult> purge(PurgeRequest request) {
        // every selector, not just the first: a request must never carry a root prefix
        Optional<String> rejected =
                request.selectors().stream()
                        .map(selector -> rejectReason(selector, request.mode()))
                        .flatMap(Optional::stream)
                        .findFirst();
        if (rejected.isPresent()) {
            return Uni.createFrom().item(PurgeResult.permanent("unsupported", rejected.get()));
        }
        return Uni.createFrom()
                .deferred(() -> unlinkFor(request.kind(), request.values()))
                .map(
                        unlinked -> {
                            if (LOG.isDebugEnabled()) {
                                try (var log = LogContext.forBatch(request)) {
                                    LOG.debugf(
                                            "batch %s on %s: %d selectors, %d keys unlinked",
                                            request.batchId(),
                                            target,
                                            request.selectors().size(),
                                            unlinked);
                                }
                            }
                            return PurgeResult.accepted(
                                    List.of(PROVIDER + ":" + unlinked + " keys"));
                        })
                .onFailure()
                .recoverWithItem(RedisFailure::toResult);
    }

    /** Pages of {@value KeyspaceScan#COUNT} keys a preview scans per prefix before estimating. */
    static final int PREVIEW_SCAN_PAGES = 10;

    /**
     * Tags: the sum of SCARD of their index sets (a key in several sets counts once per set).
     * Prefixes and everything: a bounded SCAN of the namespace, exact when it completes, else
     * extrapolated to DBSIZE. URLs: nothing (rejected).
     */
    @Override
    public Uni<Optional<AffectedKeys>> affectedKeys(SelectorKind kind, List<String> values) {
        Uni<AffectedKeys> counted =
                switch (kind) {
                    case TAG -> scard(values);
                    case PREFIX ->
                            sumCounts(
                                    values.stream()
                                            .map(
                                                    p ->
                                                            scan.countMatching(
                                                                    namespace.prefixPattern(p),
                                                                    PREVIEW_SCAN_PAGES))
                                            .toList());
                    case EVERYTHING ->
                            scan.countMatching(namespace.everythingPattern(), PREVIEW_SCAN_PAGES);
                    case URL -> null;
                };
        return counted == null
                ? Uni.createFrom().item(Optional.empty())
                : counted.map(Optional::of).onFailure().recoverWithItem(Optional.empty());
    }

    private Uni<AffectedKeys> scard(List<String> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().item(new AffectedKeys(0, true, "SCARD of the tag sets"));
        }
        List<Request> requests =
                tags.stream()
                        .map(t -> Request.cmd(Command.SCARD).arg(namespace.tagKey(t)))
                        .toList();
        return redis.batch(requests)
                .map(
                        replies -> {
                            long sum = 0;
                            for (var reply : replies) {
                                sum += reply.toLong();
                            }
                            return new AffectedKeys(
                                    sum, false, "sum of SCARD of the tag sets (an upper bound)");
                        });
    }

    private static Uni<AffectedKeys> sumCounts(List<Uni<AffectedKeys>> counts) {
        Uni<AffectedKeys> sum = Uni.createFrom().item(new AffectedKeys(0, true, "SCAN per prefix"));
        for (Uni<AffectedKeys> c : counts) {
            sum = sum.chain(acc -> c.map(acc::plus));
        }
        return sum;
    }

    private Uni<Long> unlinkFor(SelectorKind kind, List<String> values) {
        return switch (kind) {
            case TAG -> tagIndex.purge(values.stream().map(namespace::tagKey).toList());
            case PREFIX ->
                    sumInTurn(
                            values, prefix -> scan.unlinkMatching(namespace.prefixPattern(prefix)));
            case EVERYTHING -> everything();
            case URL -> throw new IllegalStateException("URL selectors are rejected before this");
        };
    }

    /** Tag sets first (their members may be outside the namespace), then the namespace itself. */
    private Uni<Long> everything() {
        return scan.forEachPage(namespace.tagKeyPattern(), Optional.of("set"), tagIndex::purge)
                .chain(
                        fromTags ->
                                scan.unlinkMatching(namespace.everythingPattern())
                                        .map(rest -> fromTags + rest));
    }

    private static Uni<Long> sumInTurn(List<String> values, Function<String, Uni<Long>> purge) {
        return Multi.createFrom()
                .iterable(values)
                .onItem()
                .transformToUniAndConcatenate(value -> purge.apply(value))
                .collect()
                .with(Collectors.summingLong(Long::longValue));
    }
}
