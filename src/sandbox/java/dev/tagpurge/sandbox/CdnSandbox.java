package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CDN sandbox: emulators of the providers' purge APIs that record every purge and inject faults
 * on request. It owns no server; {@link #mount(Router, String)} installs it on one (a test's own
 * Vert.x router, for instance) and {@link SandboxServer} runs it on its own HTTP server.
 *
 * <p>Below the mount prefix, each provider lives at {@code /<provider>} (so a Fastly target's
 * {@code base-url} is {@code <sandbox root>/fastly}) and the admin API at {@value #ADMIN_PATH}.
 */
public class CdnSandbox {

    /** Path of the cached edges below the mount prefix: {@code /edge/<provider>/<path>}. */
    public static final String EDGE_PATH = "/edge";

    /** Path of the admin API below the mount prefix. */
    public static final String ADMIN_PATH = "/_sandbox";

    // Provider bulk bodies stay far below this; it only bounds what a broken client can send.
    private static final long BODY_LIMIT_BYTES = 1024 * 1024;

    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final FastlyEmulator fastly;
    private final CloudflareEmulator cloudflare;
    private final AkamaiEmulator akamai;
    private final CloudFrontEmulator cloudfront;
    private final Map<String, CdnEdge> edges = new LinkedHashMap<>();

    /** A sandbox with default settings. */
    public CdnSandbox() {
        this(SandboxSettings.defaults());
    }

    public CdnSandbox(SandboxSettings settings) {
        this.recorder = new PurgeRecorder(settings.recorderCapacity());
        this.faults = new FaultInjector();
        this.fastly = new FastlyEmulator(settings.fastly(), recorder, faults, settings.clock());
        this.cloudflare =
                new CloudflareEmulator(settings.cloudflare(), recorder, faults, settings.clock());
        this.akamai = new AkamaiEmulator(settings.akamai(), recorder, faults, settings.clock());
        this.cloudfront =
                new CloudFrontEmulator(settings.cloudfront(), recorder, faults, settings.clock());
        for (ProviderEmulator emulator : emulators()) {
            CdnEdge edge = new CdnEdge(emulator.provider(), settings.clock());
            edges.put(emulator.provider(), edge);
            recorder.addListener(edge::purged);
        }
    }

    /**
     * The cached edge of {@code provider} ({@code fastly}, …), served at {@value #EDGE_PATH}{@code
     * /<provider>}: what the verification probe fetches through.
     */
    public CdnEdge edge(String provider) {
        CdnEdge edge = edges.get(provider);
        if (edge == null) {
            throw new IllegalArgumentException("no edge for provider " + provider);
        }
        return edge;
    }

    /** Every purge request received, with the answer given. */
    public PurgeRecorder recorder() {
        return recorder;
    }

    /** Faults to inject, per provider. */
    public FaultInjector faults() {
        return faults;
    }

    /** The Fastly emulator. */
    public FastlyEmulator fastly() {
        return fastly;
    }

    /** The Cloudflare emulator. */
    public CloudflareEmulator cloudflare() {
        return cloudflare;
    }

    /** The Akamai Fast Purge emulator. */
    public AkamaiEmulator akamai() {
        return akamai;
    }

    /** The CloudFront emulator. */
    public CloudFrontEmulator cloudfront() {
        return cloudfront;
    }

    /** All provider emulators. */
    public List<ProviderEmulator> emulators() {
        return List.of(fastly, cloudflare, akamai, cloudfront);
    }

    /**
     * Installs the emulators and the admin API on {@code router} below {@code prefix} ({@code ""}
     * for the root, or e.g. {@code /sandbox}).
     */
    public void mount(Router router, String prefix) {
        String root = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        Set<String> providers = new LinkedHashSet<>();
        for (ProviderEmulator emulator : emulators()) {
            String providerRoot = root + "/" + emulator.provider();
            router.route(providerRoot + "/*")
                    .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES));
            emulator.mount(router, providerRoot);
            providers.add(emulator.provider());
        }
        for (CdnEdge edge : edges.values()) {
            String edgeRoot = root + EDGE_PATH + "/" + edge.provider();
            router.get(edgeRoot + "/*").handler(ctx -> edge.handle(ctx, edgeRoot));
        }
        router.route(root + ADMIN_PATH + "/*")
                .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES));
        new SandboxAdmin(recorder, faults, Set.copyOf(providers), this::reset)
                .mount(router, root + ADMIN_PATH);
        router.post(root + ADMIN_PATH + EDGE_PATH + "/:provider/objects")
                .handler(this::defineEdgeObject);
    }

    /** Clears the records, the faults and every emulator's rate-limit state. */
    public void reset() {
        recorder.clear();
        faults.clear();
        emulators().forEach(ProviderEmulator::reset);
        edges.values().forEach(CdnEdge::reset);
    }

    /**
     * {@code POST /_sandbox/edge/<provider>/objects} with {@code {"path": "/p/1", "tags": ["p-1"],
     * "staleServe": true, "cachedSecondsAgo": 3600}}: defines an edge object (see {@link
     * CdnEdge#define}); answers 204.
     */
    private void defineEdgeObject(RoutingContext ctx) {
        CdnEdge edge = edges.get(ctx.pathParam("provider"));
        JsonObject body;
        try {
            body = ctx.body() == null ? null : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        if (edge == null || body == null || !(body.getValue("path") instanceof String path)) {
            HttpReply.message(400, "message", "unknown provider or no \"path\"").send(ctx);
            return;
        }
        JsonArray tags = body.getJsonArray("tags", new JsonArray());
        edge.define(
                path,
                tags.stream().map(String::valueOf).toList(),
                body.getBoolean("staleServe", false),
                body.getLong("cachedSecondsAgo", -1L));
        HttpReply.empty(204).send(ctx);
    }
}
