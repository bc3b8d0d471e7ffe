package dev.tagpurge.purge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.AffectedKeys;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.testing.LocalRedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisPurger} against a real redis-server started for this class. */
class RedisPurgerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static LocalRedisServer server;
    private static Vertx vertx;
    private static Redis redis;

    /** Each test has its own namespace, so tests cannot see each other's keys. */
    private String ns;

    @BeforeAll
    static void startRedis() {
        server = LocalRedisServer.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        vertx.closeAndAwait();
        server.close();
    }

    @BeforeEach
    void freshNamespace() {
        ns = "t-" + UUID.randomUUID() + ":";
    }

    @Test
    void tagPurgeDeletesTheMembersAndTheSet() {
        set(key("page:1"), key("page:2"), key("page:3"));
        register("product-1", key("page:1"), key("page:2"));

        PurgeResult result = purge(scripted(), tags("product-1"));

        assertThat(result).isEqualTo(PurgeResult.accepted(List.of("redis:2 keys")));
        assertThat(existing(key("page:1"), key("page:2"), key("tag:product-1"))).isEmpty();
        assertThat(existing(key("page:3"))).containsExactly(key("page:3"));
    }

    @Test
    void aPreviewCountsTheKeysAPurgeWouldRemoveAndRemovesNothing() {
        String[] all = {key("page:1"), key("page:2"), key("shop/a"), key("shop/b"), key("other")};
        set(all);
        register("product-1", key("page:1"), key("page:2"));
        register("product-2", key("page:2"));
        RedisPurger purger = scripted();

        AffectedKeys tags =
                purger.affectedKeys(SelectorKind.TAG, List.of("product-1", "product-2", "absent"))
                        .await()
                        .atMost(TIMEOUT)
                        .orElseThrow();
        assertThat(tags.keys()).as("SCARD summed: page:2 counts twice").isEqualTo(3);
        assertThat(tags.exact()).isFalse();
        AffectedKeys prefix =
                purger.affectedKeys(SelectorKind.PREFIX, List.of("shop/"))
                        .await()
                        .atMost(TIMEOUT)
                        .orElseThrow();
        assertThat(prefix.keys()).isEqualTo(2);
        assertThat(prefix.exact()).isTrue();
        AffectedKeys everything =
                purger.affectedKeys(SelectorKind.EVERYTHING, List.of())
                        .await()
                        .atMost(TIMEOUT)
                        .orElseThrow();
        assertThat(everything.keys()).as("five keys and two tag sets").isEqualTo(7);
        assertThat(
                        purger.affectedKeys(SelectorKind.URL, List.of("https://x.example/a"))
                                .await()
                                .atMost(TIMEOUT))
                .isEmpty();
        assertThat(existing(all)).containsExactly(all);
    }

    @Test
    void aScanCutShortIsExtrapolatedToTheDatabaseSize() {
        AffectedKeys estimate = KeyspaceScan.estimate(10, 1000, 100_000);
        assertThat(estimate.keys()).isEqualTo(1000);
        assertThat(estimate.exact()).isFalse();
        assertThat(KeyspaceScan.estimate(10, 1000, 500).keys())
                .as("never fewer than were matched")
                .isEqualTo(10);
    }

    @Test
    void aTagWithTenThousandMembersIsPurgedInChunks() {
        List<String> keys = IntStream.range(0, 10_000).mapToObj(i -> key("big:" + i)).toList();
        set(keys.toArray(String[]::new));
        register("big", keys.toArray(String[]::new));

        PurgeResult result = purge(scripted(), tags("big"));

        assertThat(result).isEqualTo(PurgeResult.accepted(List.of("redis:10000 keys")));
        assertThat(existing(keys.toArray(String[]::new))).isEmpty();
        assertThat(existing(key("tag:big"))).isEmpty();
    }

    @Test
    void aKeyUnderTwoTagsGoesWithTheFirstAndTheSecondStillPurgesItsOwn() {
        set(key("k1"), key("k2"), key("k3"));
        register("x", key("k1"), key("k2"));
        register("y", key("k2"), key("k3"));

        assertThat(purge(scripted(), tags("x")))
                .isEqualTo(PurgeResult.accepted(List.of("redis:2 keys")));
        assertThat(existing(key("k1"), key("k2"), key("k3"))).containsExactly(key("k3"));
        assertThat(members("y")).containsExactlyInAnyOrder(key("k2"), key("k3"));

        assertThat(purge(scripted(), tags("y")))
                .isEqualTo(PurgeResult.accepted(List.of("redis:1 keys")));
        assertThat(existing(key("k3"), key("tag:y"))).isEmpty();
    }

    @Test
    void severalTagsInOneRequestArePurgedTogether() {
        List<String> keys = IntStream.range(0, 2_500).mapToObj(i -> key("m:" + i)).toList();
        set(keys.toArray(String[]::new));
        register("a", keys.subList(0, 2_000).toArray(String[]::new));
        register("b", keys.subList(2_000, 2_500).toArray(String[]::new));
        set(key("alone"));
        register("c", key("alone"));

        PurgeResult result = purge(scripted(), tags("a", "b", "c", "never-registered"));

        assertThat(result).isEqualTo(PurgeResult.accepted(List.of("redis:2501 keys")));
        assertThat(existing(keys.toArray(String[]::new))).isEmpty();
        assertThat(existing(key("alone"), key("tag:a"), key("tag:b"), key("tag:c"))).isEmpty();
    }

    @Test
    void purgingAgainIsHarmless() {
        set(key("p"));
        register("again", key("p"));

        assertThat(purge(scripted(), tags("again")))
                .isEqualTo(PurgeResult.accepted(List.of("redis:1 keys")));
        assertThat(purge(scripted(), tags("again")))
                .isEqualTo(PurgeResult.accepted(List.of("redis:0 keys")));
    }

    @Test
    void theScriptIsLoadedAgainAfterRedisForgotIt() {
        set(key("s"));
        register("flushed", key("s"));
        send(Request.cmd(Command.SCRIPT).arg("FLUSH"));

        assertThat(purge(scripted(), tags("flushed")))
                .isEqualTo(PurgeResult.accepted(List.of("redis:1 keys")));
        assertThat(
                        send(Request.cmd(Command.SCRIPT)
                                        .arg("EXISTS")
                                        .arg(ScriptedTagIndexPurge.SCRIPT_SHA))
                                .get(0)
                                .toLong())
                .isEqualTo(1L);
    }

    @Test
    void prefixPurgeUnlinksMatchingKeysInsideTheNamespaceOnly() {
        String outside = "/products/" + ns;
        set(
                key("/products/1"),
                key("/products/2"),
                key("/productsX"),
                key("/categories/1"),
                key("a*b1"),
                key("aXb1"),
                outside);

        PurgeResult result = purge(scripted(), prefixes("/products/", "a*b"));

        assertThat(result).isEqualTo(PurgeResult.accepted(List.of("redis:3 keys")));
        assertThat(existing(key("/products/1"), key("/products/2"), key("a*b1"))).isEmpty();
        assertThat(existing(key("/productsX"), key("/categories/1"), key("aXb1"), outside))
                .hasSize(4);
        send(Request.cmd(Command.DEL).arg(outside));
    }

    @Test
    void globCharactersInAPrefixMatchOnlyThemselves() {
        set(
                key("?1"),
                key("x1"),
                key("[ab]1"),
                key("a1"),
                key("\\1"),
                key("*x1"),
                key("yx1"),
                key("plain"));

        PurgeResult result = purge(scripted(), prefixes("?", "[ab]", "\\", "*x"));

        assertThat(result).isEqualTo(PurgeResult.accepted(List.of("redis:4 keys")));
        assertThat(existing(key("?1"), key("[ab]1"), key("\\1"), key("*x1"))).isEmpty();
        assertThat(existing(key("x1"), key("a1"), key("yx1"), key("plain"))).hasSize(4);
    }

    @Test
    void aPrefixReducingToTheRootIsRefusedNotRunAsAScanOfTheWholeNamespace() {
        set(key("one"), key("/two"), key("*three"));

        for (String root : List.of("", " ", "/", "*", "/*", "https://example.com/")) {
            assertThat(scripted().rejectReason(new Selector.Prefix(root), PurgeMode.HARD))
                    .as("'%s'", root)
                    .isPresent();
            assertThat(purge(scripted(), prefixes("/x/", root)))
                    .as("'%s'", root)
                    .isInstanceOf(PurgeResult.Permanent.class);
        }
        assertThat(existing(key("one"), key("/two"), key("*three"))).hasSize(3);
    }

    @Test
    void everythingPurgesTheNamespaceAndTaggedKeysButNothingElse() {
        String outsideTagged = "cache-" + ns + "page";
        String outsideUntagged = "other-" + ns + "page";
        set(key("one"), key("two"), outsideTagged, outsideUntagged);
        register("t", outsideTagged);

        PurgeResult result = purge(scripted(), new Selector.Everything());

        assertThat(result).isEqualTo(PurgeResult.accepted(List.of("redis:3 keys")));
        assertThat(existing(key("one"), key("two"), key("tag:t"), outsideTagged)).isEmpty();
        assertThat(existing(outsideUntagged)).containsExactly(outsideUntagged);
        send(Request.cmd(Command.DEL).arg(outsideUntagged));
    }

    @Test
    void clusterSafeModePurgesTagsWithoutLua() {
        List<String> keys = IntStream.range(0, 2_500).mapToObj(i -> key("c:" + i)).toList();
        set(keys.toArray(String[]::new));
        register("big", keys.toArray(String[]::new));
        set(key("other"));
        register("small", key("other"), keys.getFirst());

        PurgeResult result = purge(clusterSafe(), tags("big", "small"));

        assertThat(result).isEqualTo(PurgeResult.accepted(List.of("redis:2501 keys")));
        assertThat(existing(keys.toArray(String[]::new))).isEmpty();
        assertThat(existing(key("other"), key("tag:big"), key("tag:small"))).isEmpty();
    }

    @Test
    void clusterSafeModeRejectsWhatSCANCannotCover() {
        RedisPurger purger = clusterSafe();

        assertThat(purger.rejectReason(new Selector.Prefix("/a"), PurgeMode.HARD)).isPresent();
        assertThat(purger.rejectReason(new Selector.Everything(), PurgeMode.HARD)).isPresent();
        assertThat(purger.rejectReason(new Selector.Tag("t"), PurgeMode.HARD)).isEmpty();
    }

    @Test
    void urlsAreRejected() {
        RedisPurger purger = scripted();

        assertThat(purger.rejectReason(new Selector.Url("https://example.com/a"), PurgeMode.HARD))
                .contains("redis has no URL purge");
        assertThat(purge(purger, new Selector.Url("https://example.com/a")))
                .isInstanceOf(PurgeResult.Permanent.class);
    }

    @Test
    void limitsAndTagCase() {
        RedisPurger purger = scripted();

        assertThat(purger.limits().maxTags()).isEqualTo(100);
        assertThat(purger.limits().maxPrefixes()).isEqualTo(10);
        assertThat(purger.limits().maxUrls()).isEqualTo(1);
        assertThat(purger.caseInsensitiveTags()).isFalse();
        assertThat(purger.provider()).isEqualTo("redis");
        assertThat(RedisPurger.create("t", redis, ns, 7, false).limits().maxTags()).isEqualTo(7);
    }

    @Test
    void aTagKeyThatIsNotASetIsAPermanentFailure() {
        set(key("tag:broken"));

        PurgeResult result = purge(scripted(), tags("broken"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p -> assertThat(p.reason()).isEqualTo("wrong-type"));
    }

    @Test
    void connectionRefusedIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Redis unreachable = Redis.createClient(vertx, "redis://127.0.0.1:" + closedPort);
        try {
            PurgeResult result =
                    purge(RedisPurger.create("down", unreachable, ns, 100, false), tags("x"));

            assertThat(result)
                    .isInstanceOfSatisfying(
                            PurgeResult.Retryable.class,
                            r -> {
                                assertThat(r.reason()).isEqualTo("connection");
                                assertThat(r.throttled()).isFalse();
                            });
        } finally {
            unreachable.close();
        }
    }

    private RedisPurger scripted() {
        return RedisPurger.create("cache", redis, ns, RedisPurger.DEFAULT_MAX_TAGS, false);
    }

    private RedisPurger clusterSafe() {
        return RedisPurger.create("cache", redis, ns, RedisPurger.DEFAULT_MAX_TAGS, true);
    }

    private static PurgeResult purge(RedisPurger purger, Selector... selectors) {
        PurgeRequest request =
                new PurgeRequest(
                        UUID.randomUUID().toString(),
                        "cache",
                        selectors[0].kind(),
                        PurgeMode.HARD,
                        List.of(selectors),
                        1);
        return purger.purge(request).await().atMost(TIMEOUT);
    }

    private static Selector[] tags(String... values) {
        return Arrays.stream(values).map(Selector.Tag::new).toArray(Selector[]::new);
    }

    private static Selector[] prefixes(String... values) {
        return Arrays.stream(values).map(Selector.Prefix::new).toArray(Selector[]::new);
    }

    /** {@code local} inside this test's namespace. */
    private String key(String local) {
        return ns + local;
    }

    /** MSETs of 100 keys each: the client queues at most 2048 commands per connection. */
    private static void set(String... keys) {
        List<Request> requests = new ArrayList<>();
        for (int from = 0; from < keys.length; from += 100) {
            Request mset = Request.cmd(Command.MSET);
            Arrays.stream(keys, from, Math.min(keys.length, from + 100))
                    .forEach(key -> mset.arg(key).arg("cached"));
            requests.add(mset);
        }
        redis.batch(requests).await().atMost(TIMEOUT);
    }

    /** SADD {@code <ns>tag:<tag>} of the given keys, as applications register them. */
    private void register(String tag, String... keys) {
        List<Request> requests = new ArrayList<>();
        for (int from = 0; from < keys.length; from += 1000) {
            Request sadd = Request.cmd(Command.SADD).arg(ns + "tag:" + tag);
            for (int i = from; i < Math.min(keys.length, from + 1000); i++) {
                sadd.arg(keys[i]);
            }
            requests.add(sadd);
        }
        redis.batch(requests).await().atMost(TIMEOUT);
    }

    /** Those of {@code keys} that exist. */
    private static List<String> existing(String... keys) {
        List<String> found = new ArrayList<>();
        for (int from = 0; from < keys.length; from += 1000) {
            List<String> slice =
                    Arrays.asList(keys).subList(from, Math.min(keys.length, from + 1000));
            List<Response> replies =
                    redis.batch(
                                    slice.stream()
                                            .map(key -> Request.cmd(Command.EXISTS).arg(key))
                                            .toList())
                            .await()
                            .atMost(TIMEOUT);
            for (int i = 0; i < slice.size(); i++) {
                if (replies.get(i).toLong() == 1L) {
                    found.add(slice.get(i));
                }
            }
        }
        return found;
    }

    private List<String> members(String tag) {
        List<String> members = new ArrayList<>();
        send(Request.cmd(Command.SMEMBERS).arg(ns + "tag:" + tag))
                .forEach(m -> members.add(m.toString()));
        return members;
    }

    private static Response send(Request request) {
        return redis.send(request).await().atMost(TIMEOUT);
    }
}
