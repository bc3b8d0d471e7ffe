package dev.tagpurge.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorApiTest {

    @Test
    void productionRefusesAnEnabledApiWithoutAnIssuer() {
        assertThatThrownBy(
                        () -> OperatorApi.requireIssuer(LaunchMode.NORMAL, true, Optional.empty()))
                .hasMessageContaining("quarkus.oidc.auth-server-url");
        assertThatThrownBy(
                        () -> OperatorApi.requireIssuer(LaunchMode.NORMAL, true, Optional.of(" ")))
                .hasMessageContaining("quarkus.oidc.auth-server-url");
        assertThatCode(
                        () ->
                                OperatorApi.requireIssuer(
                                        LaunchMode.NORMAL,
                                        true,
                                        Optional.of("https://sso.example.com/realms/ops")))
                .doesNotThrowAnyException();
        assertThatCode(() -> OperatorApi.requireIssuer(LaunchMode.NORMAL, false, Optional.empty()))
                .as("disabled: no issuer needed")
                .doesNotThrowAnyException();
        assertThatCode(() -> OperatorApi.requireIssuer(LaunchMode.TEST, true, Optional.empty()))
                .doesNotThrowAnyException();
    }
}
