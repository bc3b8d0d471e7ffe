package dev.tagpurge.purge.akamai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.testing.HostileSelectors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No event can make Akamai's request builder aim a signed request anywhere but {@code
 * /ccu/v3/{invalidate|delete}/url/{network}}: URL objects travel in the JSON body only, as
 * normalised absolute URLs, and prefixes are never sent.
 */
class AkamaiHostileSelectorsTest {

    private static final AkamaiSettings SETTINGS = AkamaiRequestsTest.SETTINGS;
    private static final List<String> URL_ENDPOINTS =
            List.of("/ccu/v3/invalidate/url/production", "/ccu/v3/delete/url/production");

    @Test
    void everyHostileUrlIsRefusedOrSentAsANormalisedAbsoluteUrlObject() {
        int sent = 0;
        for (String value : HostileSelectors.corpus(5000)) {
            for (PurgeMode mode : PurgeMode.values()) {
                List<AkamaiCall> calls = built(SelectorKind.URL, mode, new Selector.Url(value));
                for (AkamaiCall call : calls) {
                    sent++;
                    assertThat(call.path()).as(value).isIn(URL_ENDPOINTS);
                    URI signed = URI.create(SETTINGS.baseUrl() + call.path());
                    assertThat(signed.getHost()).isEqualTo("akab-x.purge.akamaiapis.net");
                    assertThat(signed.getRawQuery()).isNull();
                    JsonArray objects = new JsonObject(call.jsonBody()).getJsonArray("objects");
                    assertThat(objects).hasSize(1);
                    String object = objects.getString(0);
                    assertThat(object).as(value).matches("https?://[!-~]+");
                    assertThat(NormalizedUrl.url(object).absolute()).as(value).isEqualTo(object);
                }
            }
        }
        assertThat(sent).isGreaterThan(100);
    }

    @Test
    void hostilePrefixesAreNeverSent() {
        for (String value : HostileSelectors.corpus(500)) {
            assertThat(built(SelectorKind.PREFIX, PurgeMode.HARD, new Selector.Prefix(value)))
                    .isEmpty();
        }
    }

    private static List<AkamaiCall> built(SelectorKind kind, PurgeMode mode, Selector selector) {
        try {
            return AkamaiRequests.build(
                    new PurgeRequest("b-1", "edge", kind, mode, List.of(selector), 1), SETTINGS);
        } catch (IllegalArgumentException refused) {
            return List.of();
        }
    }
}
