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
                        () ->
                                OperatorApi.requireIssuer(
                                        LaunchMode.NORMAL, true, Optional.empty(), false))
                .hasMessageContaining("quarkus.oidc.auth-server-url");
        assertThatThrownBy(
                        () ->
                                OperatorApi.requireIssuer(
                                        LaunchMode.NORMAL, true, Optional.of(" "), false))
                .hasMessageContaining("quarkus.oidc.auth-server-url");
        assertThatCode(
                        () ->
                                OperatorApi.requireIssuer(
                                        LaunchMode.NORMAL,
                                        true,
                                        Optional.of("https://sso.example.com/realms/ops"),
                                        false))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                OperatorApi.requireIssuer(
                                        LaunchMode.NORMAL, false, Optional.empty(), false))
                .as("disabled: no issuer needed")
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                OperatorApi.requireIssuer(
                                        LaunchMode.TEST, true, Optional.empty(), false))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                OperatorApi.requireIssuer(
                                        LaunchMode.NORMAL, true, Optional.empty(), true))
                .as("API keys alone: automation without an identity provider")
                .doesNotThrowAnyException();
    }
}
