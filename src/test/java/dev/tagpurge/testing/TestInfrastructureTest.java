package dev.tagpurge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The choice between containers and local processes, without needing Docker either way. */
class TestInfrastructureTest {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;

    @Test
    void autoTakesContainersWhenDockerIsReachableElseLocalProcesses() {
        assertThat(TestInfrastructure.choose(Optional.empty(), DOCKER))
                .isEqualTo(TestInfrastructure.DOCKER);
        assertThat(TestInfrastructure.choose(Optional.empty(), NO_DOCKER))
                .isEqualTo(TestInfrastructure.LOCAL);
        assertThat(TestInfrastructure.choose(Optional.of(" Auto "), DOCKER))
                .isEqualTo(TestInfrastructure.DOCKER);
        assertThat(TestInfrastructure.choose(Optional.of(""), NO_DOCKER))
                .isEqualTo(TestInfrastructure.LOCAL);
    }

    @Test
    void forcedLocalNeverAsksForDocker() {
        AtomicInteger asked = new AtomicInteger();
        BooleanSupplier counting =
                () -> {
                    asked.incrementAndGet();
                    return true;
                };
        assertThat(TestInfrastructure.choose(Optional.of("local"), counting))
                .isEqualTo(TestInfrastructure.LOCAL);
        assertThat(TestInfrastructure.choose(Optional.of("LOCAL"), counting))
                .isEqualTo(TestInfrastructure.LOCAL);
        assertThat(asked).hasValue(0);
    }

    @Test
    void forcedDockerWithoutAnEngineFailsClearlyInsteadOfFallingBack() {
        assertThat(TestInfrastructure.choose(Optional.of("docker"), DOCKER))
                .isEqualTo(TestInfrastructure.DOCKER);
        assertThatThrownBy(() -> TestInfrastructure.choose(Optional.of("docker"), NO_DOCKER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tagpurge.test.infrastructure=docker")
                .hasMessageContaining("no Docker engine is reachable")
                .hasMessageContaining("local or auto");
    }

    @Test
    void anUnknownValueIsRefusedNamingTheChoices() {
        assertThatThrownBy(() -> TestInfrastructure.choose(Optional.of("podman"), DOCKER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("docker, local or auto")
                .hasMessageContaining("'podman'");
    }

    /**
     * On this machine (a docker client, no daemon) and in CI without one, auto is local: asks
     * Testcontainers itself, so a machine with a reachable engine would take the containers.
     */
    @Test
    void thisJvmsChoiceMatchesWhetherTestcontainersFindsAnEngine() {
        boolean reachable = DockerClientFactory.instance().isDockerAvailable();
        Optional<String> requested =
                Optional.ofNullable(
                        System.getProperty(
                                TestInfrastructure.PROPERTY,
                                System.getenv(TestInfrastructure.ENVIRONMENT_VARIABLE)));
        if (requested.isEmpty()) {
            assertThat(TestInfrastructure.current())
                    .isEqualTo(reachable ? TestInfrastructure.DOCKER : TestInfrastructure.LOCAL);
        }
        assertThat(TestInfrastructure.current()).isSameAs(TestInfrastructure.current());
    }
}
