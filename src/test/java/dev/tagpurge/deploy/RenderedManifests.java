package dev.tagpurge.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kustomize renderings of k8s/ as parsed documents. Rendered here with {@code kubectl
 * kustomize} when kubectl is on the PATH (always current); otherwise read from {@code
 * target/k8s-rendered/<name>.yaml}, which .ci/run writes before Maven runs. Without either, the
 * calling test is skipped, except under CI ({@code CI} set), where it fails.
 */
final class RenderedManifests {

    /** Rendering name → kustomization directory. */
    static final Map<String, String> KUSTOMIZATIONS =
            Map.of(
                    "base", "k8s/base",
                    "dev", "k8s/overlays/dev",
                    "prod", "k8s/overlays/prod",
                    "prod-hpa", "k8s/overlays/prod-hpa");

    /** The deployable overlays (the base alone lacks a namespace and autoscaling). */
    static final List<String> OVERLAYS = List.of("dev", "prod", "prod-hpa");

    /** The {@code app.kubernetes.io/name} of the CDN sandbox's documents. */
    static final String SANDBOX_NAME = "tagpurge-sandbox";

    private static final Path PRE_RENDERED = Path.of("target", "k8s-rendered");
    private static final Map<String, List<Map<String, Object>>> CACHE = new ConcurrentHashMap<>();

    private RenderedManifests() {}

    /** Every document of one rendering, in order. */
    static List<Map<String, Object>> documents(String name) {
        return CACHE.computeIfAbsent(name, n -> parse(render(n)));
    }

    /** Tagpurge's one document of this kind in a rendering. */
    static Map<String, Object> only(String name, String kind) {
        List<Map<String, Object>> found = ofKind(name, kind);
        if (found.size() != 1) {
            throw new AssertionError(name + " has " + found.size() + " " + kind + " documents");
        }
        return found.get(0);
    }

    /**
     * Tagpurge's documents of this kind in a rendering: the CDN sandbox that the dev overlay
     * deploys beside the service is left out (see {@link #sandboxOfKind}).
     */
    static List<Map<String, Object>> ofKind(String name, String kind) {
        return documents(name).stream()
                .filter(d -> kind.equals(d.get("kind")) && !isSandbox(d))
                .toList();
    }

    /** The CDN sandbox's documents of this kind in a rendering (only the dev overlay has any). */
    static List<Map<String, Object>> sandboxOfKind(String name, String kind) {
        return documents(name).stream()
                .filter(d -> kind.equals(d.get("kind")) && isSandbox(d))
                .toList();
    }

    /** Whether a document belongs to the CDN sandbox ({@value #SANDBOX_NAME}). */
    static boolean isSandbox(Map<String, Object> document) {
        return SANDBOX_NAME.equals(at(document, "metadata", "labels", "app.kubernetes.io/name"));
    }

    /** The value at a path of map keys and list indexes, or null where the path ends early. */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map && step instanceof String key) {
                current = map.get(key);
            } else if (current instanceof List<?> list
                    && step instanceof Integer index
                    && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, Object... path) {
        Object value = at(node, path);
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, Object... path) {
        Object value = at(node, path);
        return value instanceof List<?> ? (List<Object>) value : List.of();
    }

    private static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) document;
                documents.add(map);
            }
        }
        return documents;
    }

    private static String render(String name) {
        String dir = KUSTOMIZATIONS.get(name);
        if (dir == null) {
            throw new IllegalArgumentException("no kustomization named " + name);
        }
        if (kubectlAvailable()) {
            return kubectlKustomize(dir);
        }
        Path file = PRE_RENDERED.resolve(name + ".yaml");
        if (Files.isRegularFile(file)) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String why =
                "kubectl is not on the PATH and " + file + " does not exist (.ci/run renders it)";
        if (System.getenv("CI") != null) {
            throw new AssertionError(why);
        }
        Assumptions.abort(why);
        return "";
    }

    private static boolean kubectlAvailable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    private static String kubectlKustomize(String dir) {
        try {
            Process process =
                    new ProcessBuilder("kubectl", "kustomize", dir)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroy();
                throw new AssertionError("kubectl kustomize " + dir + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted rendering " + dir, e);
        }
    }
}
