package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.mapping.MappingRule;
import dev.tagpurge.mapping.MappingTrace;
import dev.tagpurge.mapping.SelectorMapper;
import dev.tagpurge.purge.TargetRoute;
import dev.tagpurge.purge.fastly.FastlyPurger;
import dev.tagpurge.purge.fastly.FastlySettings;
import dev.tagpurge.purge.redis.RedisPurger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The explanation of concrete rules over real adapters (Fastly restricted to a host, Fastly
 * restricted to {@code multi-} tags and another host, Redis Cluster): each rule's match or why not,
 * each target's selectors as sent or why not, and the consumer's dead-letter reason for an invalid
 * event.
 */
class RuleExplainerTest {

    private static final List<MappingRule> RULES =
            List.of(
                    MappingRule.of(
                            "product.*",
                            Optional.empty(),
                            List.of("product-{data.id}", "category-{data.categoryIds[*]}"),
                            List.of("/products/{data.id}"),
                            List.of()),
                    MappingRule.of(
                            "product.deleted",
                            Optional.of("catalog*"),
                            List.of(),
                            List.of(),
                            List.of("https://www.example.com/search/{data.id}/")),
                    MappingRule.of(
                            "order.*",
                            Optional.empty(),
                            List.of("order-{data.orderId}"),
                            List.of(),
                            List.of()));

    private static FastlyPurger fastly(String name, String host) {
        return new FastlyPurger(
                new FastlySettings(
                        name, "https://api.fastly.com", "SVC", "tok", Optional.of(host), 256),
                null);
    }

    private final ChangeEventParser parser = new ChangeEventParser(new ObjectMapper(), 65536);
    private final EventIntake intake =
            new EventIntake(
                    parser,
                    new SelectorMapper(RULES, 100),
                    new ChangeEventValidator(100, Set.of("cdn", "multi", "cache"), false),
                    PurgeMode.HARD);
    private final RuleExplainer explainer =
            new RuleExplainer(
                    intake,
                    List.of(
                            new RuleExplainer.Target(
                                    "cdn",
                                    fastly("cdn", "www.example.com"),
                                    new TargetRoute(List.of(), List.of("www.example.com"))),
                            new RuleExplainer.Target(
                                    "multi",
                                    fastly("multi", "multi.example.com"),
                                    new TargetRoute(
                                            List.of("multi-"), List.of("multi.example.com"))),
                            new RuleExplainer.Target(
                                    "cache",
                                    RedisPurger.create("cache", null, "tagpurge:", 100, true),
                                    TargetRoute.ALL)));

    private Explanation explain(String json) {
        return explainer.explain(json.getBytes(StandardCharsets.UTF_8), h -> null);
    }

    private Explanation.Explained explained(String json) {
        Explanation e = explain(json);
        assertThat(e).isInstanceOf(Explanation.Explained.class);
        return (Explanation.Explained) e;
    }

    private static Explanation.Target target(Explanation.Explained e, String name) {
        return e.targets().stream().filter(t -> t.target().equals(name)).findFirst().orElseThrow();
    }

    private static final String UPDATED =
            """
            {"id":"e1","type":"product.updated","source":"catalog-api",
             "data":{"id":42,"categoryIds":[7,8]}}""";

    @Test
    void aMatchingRuleRendersItsTemplatesAndTheOthersSayWhyNot() {
        Explanation.Explained e = explained(UPDATED);

        assertThat(e.rules()).hasSize(3);
        Explanation.Rule product = e.rules().get(0);
        assertThat(product.matched()).isTrue();
        assertThat(product.rendered())
                .containsExactly(
                        new Explanation.Rendered("tag", "product-{data.id}", List.of("product-42")),
                        new Explanation.Rendered(
                                "tag",
                                "category-{data.categoryIds[*]}",
                                List.of("category-7", "category-8")),
                        new Explanation.Rendered(
                                "url", "/products/{data.id}", List.of("/products/42")));
        assertThat(e.rules().get(1).matched()).isFalse();
        assertThat(e.rules().get(1).skipped())
                .isEqualTo(
                        "event type 'product.updated' does not match the rule's type"
                                + " 'product.deleted'");
        assertThat(e.rules().get(2).skipped()).contains("'order.*'");
        assertThat(e.selectors().tags()).containsExactly("product-42", "category-7", "category-8");
        assertThat(e.mode()).isEqualTo("hard");
        assertThat(e.unmatched()).isFalse();
    }

    @Test
    void eachTargetShowsWhatItWouldSendAndWhyNotTheRest() {
        Explanation.Explained e = explained(UPDATED);

        Explanation.Target cdn = target(e, "cdn");
        assertThat(cdn.outcome()).isEqualTo("purges");
        // the path goes out on the target's host, in the form Fastly's URL purge takes
        assertThat(cdn.selectors())
                .contains(
                        new Explanation.Sent("url", "/products/42", "www.example.com/products/42"),
                        new Explanation.Sent("tag", "product-42", "product-42"));

        // a path carries no host, so it reaches every target, each completing it with its host
        Explanation.Target multi = target(e, "multi");
        assertThat(multi.outcome()).isEqualTo("purges");
        assertThat(multi.selectors())
                .containsExactly(
                        new Explanation.Sent(
                                "url", "/products/42", "multi.example.com/products/42"));
        assertThat(multi.notRouted())
                .contains(
                        new Explanation.Refused(
                                "tag",
                                "category-7",
                                "the tag starts with none of tag-prefixes [multi-]"));
        assertThat(multi.rejected()).isNull();

        Explanation.Target cache = target(e, "cache");
        assertThat(cache.outcome()).isEqualTo("purges");
        assertThat(cache.rejected())
                .containsExactly(
                        new Explanation.Refused("url", "/products/42", "redis has no URL purge"));
    }

    @Test
    void aSourceGlobSkipsARuleForAnotherSourceOrNone() {
        String deleted =
                """
                {"id":"e2","type":"product.deleted",%s"data":{"id":42,"categoryIds":[]}}""";

        Explanation.Explained other = explained(deleted.formatted("\"source\":\"erp\","));
        assertThat(other.rules().get(1).skipped())
                .isEqualTo("event source 'erp' does not match the rule's source 'catalog*'");

        Explanation.Explained none = explained(deleted.formatted(""));
        assertThat(none.rules().get(1).skipped())
                .isEqualTo("the rule needs a source matching 'catalog*' and the event has none");
        // an empty array renders no category tag
        assertThat(none.rules().get(0).rendered().get(1).values()).isEmpty();
    }

    @Test
    void aPrefixIsRejectedByProvidersWithoutPrefixPurgeAndByRedisCluster() {
        Explanation.Explained e =
                explained(
                        """
                        {"id":"e3","type":"product.deleted","source":"catalog-api",
                         "data":{"id":42,"categoryIds":[]}}""");

        assertThat(e.rules().get(1).matched()).isTrue();
        assertThat(target(e, "cdn").rejected())
                .contains(
                        new Explanation.Refused(
                                "prefix",
                                "https://www.example.com/search/42/",
                                "fastly has no prefix purge"));
        assertThat(target(e, "cache").rejected())
                .anySatisfy(
                        r -> {
                            assertThat(r.kind()).isEqualTo("prefix");
                            assertThat(r.reason()).startsWith("redis cluster:");
                        });
        assertThat(target(e, "multi").notRouted())
                .contains(
                        new Explanation.Refused(
                                "prefix",
                                "https://www.example.com/search/42/",
                                "host www.example.com is not among hosts [multi.example.com]"));
    }

    @Test
    void anEventForOtherTargetsSkipsTheRestAndOneForNoneIsUnmatched() {
        Explanation.Explained e =
                explained(
                        """
                        {"id":"e4","type":"order.paid","targets":["cdn"],
                         "data":{"orderId":"A-1"}}""");
        assertThat(target(e, "cache").outcome()).isEqualTo("not-addressed");
        assertThat(target(e, "cache").skipped()).isEqualTo("the event names other targets: [cdn]");
        assertThat(target(e, "cdn").selectors())
                .containsExactly(new Explanation.Sent("tag", "order-A-1", "order-A-1"));

        Explanation.Explained unmatched = explained("{\"id\":\"e5\",\"type\":\"user.created\"}");
        assertThat(unmatched.rules()).noneMatch(Explanation.Rule::matched);
        assertThat(unmatched.unmatched()).isTrue();
        assertThat(target(unmatched, "cdn").skipped()).isEqualTo("the event maps to no selector");
    }

    @Test
    void aMissingTemplateFieldNamesTheRuleTheTemplateAndTheField() {
        Explanation e = explain("{\"id\":\"e6\",\"type\":\"order.created\",\"data\":{}}");

        assertThat(e).isInstanceOf(Explanation.Invalid.class);
        Explanation.Invalid invalid = (Explanation.Invalid) e;
        assertThat(invalid.reason()).isEqualTo(InvalidReason.MISSING_TEMPLATE_FIELD);
        assertThat(invalid.field()).isEqualTo("rules[2]");
        assertThat(invalid.cause())
                .isEqualTo(
                        "template order-{data.orderId} needs field 'data.orderId', which the"
                                + " event lacks");
        assertThat(invalid.rules())
                .extracting(Explanation.Rule::matched)
                .containsExactly(false, false, true);
    }

    @Test
    void invalidEventsGetTheConsumersDeadLetterReason() {
        Map<String, InvalidReason> cases =
                Map.of(
                        "not json", InvalidReason.NOT_JSON,
                        "{\"type\":\"product.updated\"}", InvalidReason.MISSING_ID,
                        "{\"id\":\"x\",\"type\":\"a\",\"tags\":[\"a b\"]}",
                                InvalidReason.INVALID_TAG,
                        "{\"id\":\"x\",\"type\":\"a\",\"tags\":[\"t\"],\"targets\":[\"nope\"]}",
                                InvalidReason.UNKNOWN_TARGET,
                        "{\"id\":\"x\",\"type\":\"a\",\"prefixes\":[\"/\"]}",
                                InvalidReason.EVERYTHING_NOT_ALLOWED,
                        "{\"specversion\":\"0.3\",\"id\":\"x\",\"type\":\"a\"}",
                                InvalidReason.UNSUPPORTED_SPECVERSION);
        cases.forEach(
                (json, reason) -> {
                    Explanation e = explain(json);
                    assertThat(e).as(json).isInstanceOf(Explanation.Invalid.class);
                    assertThat(((Explanation.Invalid) e).reason()).as(json).isEqualTo(reason);
                });
        assertThat(((Explanation.Invalid) explain("{\"type\":\"a\"}")).field()).isEqualTo("id");
    }

    @Test
    void aCloudEventIsExplainedLikeThePlainEvent() {
        Explanation.Explained structured =
                explained(
                        """
                        {"specversion":"1.0","id":"e1","type":"product.updated",
                         "source":"catalog-api","datacontenttype":"application/json",
                         "data":{"id":42,"categoryIds":[7,8]}}""");
        Explanation.Explained plain = explained(UPDATED);
        assertThat(structured.rules()).isEqualTo(plain.rules());
        assertThat(structured.targets()).isEqualTo(plain.targets());

        Map<String, String> headers =
                Map.of(
                        "ce_specversion", "1.0",
                        "ce_id", "e1",
                        "ce_type", "product.updated",
                        "ce_source", "catalog-api",
                        "content-type", "application/json");
        Function<String, String> header = headers::get;
        Explanation binary =
                explainer.explain(
                        "{\"id\":42,\"categoryIds\":[7,8]}".getBytes(StandardCharsets.UTF_8),
                        header);
        assertThat(((Explanation.Explained) binary).targets()).isEqualTo(plain.targets());
    }

    @Test
    void theSelectorsAreWhatTheConsumersMappingGives() throws Exception {
        ChangeEvent event = parser.parse(UPDATED.getBytes(StandardCharsets.UTF_8), h -> null);
        MappedSelectors consumer = intake.mapAndValidate(event, MappingTrace.NONE);

        Explanation.Selectors explained = explained(UPDATED).selectors();
        assertThat(explained.tags()).isEqualTo(consumer.tags());
        assertThat(explained.urls()).isEqualTo(consumer.urls());
        assertThat(explained.prefixes()).isEqualTo(consumer.prefixes());
    }
}
