package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The benchmark measures the service as it ships: with the JVM options and the environment the
 * image gives it, which the Kubernetes Deployment keeps where it replaces the image's options.
 */
class ImageJvmTest {

    // the Deployment's heap is the benchmark's -Xmx192m (37.5% of 512 MiB); exiting on an
    // OutOfMemoryError changes nothing a benchmark measures
    private static final Set<String> NOT_MEASURED =
            Set.of("-XX:MaxRAMPercentage=37.5", "-XX:+ExitOnOutOfMemoryError");

    private static final Pattern ENV = Pattern.compile("(?m)^ENV (\\w+)=\"?([^\"\\n]*)\"?$");

    @Test
    void theBenchmarkStartsTheServiceWithTheImagesOptionsAndEnvironment() throws Exception {
        Map<String, String> image = imageEnvironment();
        List<String> benchmark = Arrays.asList(Benchmark.IMAGE_JVM.split(" "));

        assertThat(benchmark).contains("-Xmx192m");
        assertThat(benchmark).containsAll(jvmOptions(image.get("GC_CONTAINER_OPTIONS")));
        assertThat(benchmark).containsAll(jvmOptions(image.get("JAVA_OPTS_APPEND")));
        Benchmark.IMAGE_ENV.forEach((name, value) -> assertThat(image).containsEntry(name, value));
    }

    @Test
    void theDeploymentKeepsTheImagesOptionsWhereItReplacesThem() throws Exception {
        Map<String, String> image = imageEnvironment();
        Map<String, Object> deployment = new Yaml().load(read("k8s/base/deployment.yaml"));
        String replaced = deploymentEnvironment(deployment).get("JAVA_OPTS_APPEND");

        assertThat(replaced).isNotNull();
        assertThat(Arrays.asList(replaced.trim().split("\\s+")))
                .containsAll(Arrays.asList(image.get("JAVA_OPTS_APPEND").split(" ")));
    }

    /** The image's ENV lines, by name. */
    private static Map<String, String> imageEnvironment() throws Exception {
        Map<String, String> env = new HashMap<>();
        Matcher m = ENV.matcher(read("docker/Dockerfile"));
        while (m.find()) {
            env.put(m.group(1), m.group(2));
        }
        return env;
    }

    /** The {@code -XX} options of {@code options} that change what the benchmark measures. */
    private static List<String> jvmOptions(String options) {
        assertThat(options).isNotNull();
        return Arrays.stream(options.split(" "))
                .filter(o -> o.startsWith("-XX:") && !NOT_MEASURED.contains(o))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> deploymentEnvironment(Map<String, Object> deployment) {
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        Map<String, Object> pod = (Map<String, Object>) template.get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            if (e.get("value") != null) {
                env.put((String) e.get("name"), e.get("value").toString());
            }
        }
        return env;
    }

    private static String read(String path) throws Exception {
        return Files.readString(Path.of(path));
    }
}
