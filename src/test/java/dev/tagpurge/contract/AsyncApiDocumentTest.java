package dev.tagpurge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/asyncapi.yaml is valid YAML of an AsyncAPI 3 document, names the three topics with their
 * default names, and every reference in it resolves: internal ones to a component, external ones to
 * a schema file that exists and parses.
 */
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of("docs/asyncapi.yaml");

    @Test
    void documentIsAsyncApi3WithTheThreeTopics() throws Exception {
        Map<String, Object> doc = load();
        assertThat(String.valueOf(doc.get("asyncapi"))).startsWith("3.");
        Map<?, ?> channels = (Map<?, ?>) doc.get("channels");
        List<String> addresses =
                channels.values().stream()
                        .map(c -> String.valueOf(((Map<?, ?>) c).get("address")))
                        .toList();
        assertThat(addresses)
                .containsExactlyInAnyOrder(
                        "change-events", "purge-completions", "change-events.dlq");
    }

    @Test
    void everyReferenceResolves() throws Exception {
        Map<String, Object> doc = load();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);

        List<String> files = refs.stream().filter(r -> !r.startsWith("#")).toList();
        assertThat(files)
                .contains(
                        "./schemas/change-event.schema.json",
                        "./schemas/completion-event.schema.json");
        for (String file : files) {
            Path schema = DOCUMENT.resolveSibling(file).normalize();
            assertThat(schema).as(file).isRegularFile();
            assertThat(new ObjectMapper().readTree(schema.toFile()).path("$schema").asText())
                    .as(file)
                    .contains("json-schema.org");
        }
        for (String ref : refs.stream().filter(r -> r.startsWith("#/")).toList()) {
            Object node = doc;
            for (String part : ref.substring(2).split("/")) {
                assertThat(node).as(ref).isInstanceOf(Map.class);
                node = ((Map<?, ?>) node).get(part);
            }
            assertThat(node).as(ref).isNotNull();
        }
    }

    private static Map<String, Object> load() throws Exception {
        return new Yaml().load(Files.readString(DOCUMENT));
    }

    private static void collectRefs(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach(
                    (k, v) -> {
                        if ("$ref".equals(k)) {
                            out.add(String.valueOf(v));
                        } else {
                            collectRefs(v, out);
                        }
                    });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectRefs(item, out));
        }
    }
}
