package dev.tagpurge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void aKeyMatchesByItsSha256AndCarriesItsRoles() {
        ApiKeys keys =
                new ApiKeys(
                        Map.of(
                                "deploy", ApiKeys.sha256Hex("s3cret-deploy-key"),
                                "cron", ApiKeys.sha256Hex("another-key")),
                        Map.of("deploy", List.of(Roles.OPERATOR), "cron", List.of(Roles.ADMIN)));

        assertThat(keys.match("s3cret-deploy-key"))
                .contains(new ApiKeys.Match("deploy", java.util.Set.of(Roles.OPERATOR)));
        assertThat(keys.match("another-key").orElseThrow().name()).isEqualTo("cron");
        assertThat(keys.match("s3cret-deploy-ke")).isEmpty();
        assertThat(keys.match(ApiKeys.sha256Hex("s3cret-deploy-key")))
                .as("the hash itself is no key")
                .isEmpty();
    }

    @Test
    void theKnownSha256OfAKnownString() {
        assertThat(ApiKeys.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aMalformedHashFailsAtOnceNamingTheKeyNotItsValue() {
        assertThatThrownBy(() -> new ApiKeys(Map.of("deploy", "not-a-hash"), Map.of()))
                .hasMessageContaining("tagpurge.operator.api-keys.deploy.hash")
                .hasMessageNotContaining("not-a-hash");
    }

    @Test
    void theKeyIsReadFromEitherHeader() {
        assertThat(ApiKeyAuthentication.presentedKey("k1", null)).isEqualTo("k1");
        assertThat(ApiKeyAuthentication.presentedKey(null, "ApiKey k2")).isEqualTo("k2");
        assertThat(ApiKeyAuthentication.presentedKey(null, "apikey k3")).isEqualTo("k3");
        assertThat(ApiKeyAuthentication.presentedKey(null, "Bearer eyJ")).isNull();
        assertThat(ApiKeyAuthentication.presentedKey(null, null)).isNull();
        assertThat(new ApiKeyRequest("secret").toString()).doesNotContain("secret");
    }
}
