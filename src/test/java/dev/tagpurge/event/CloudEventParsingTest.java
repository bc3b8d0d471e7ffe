package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.PurgeMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * CloudEvents 1.0 in both Kafka content modes: the JSON format's own examples (test resources under
 * {@code cloudevents/json-format}, see the README there), the spec version, {@code data_base64} and
 * {@code datacontenttype} in structured mode, and {@code ce_*} plus {@code content-type} headers in
 * binary mode.
 */
class CloudEventParsingTest {

    private final ChangeEventParser parser = new ChangeEventParser(new ObjectMapper(), 4096);

    private ChangeEvent structured(String json) throws InvalidEventException {
        return parser.parse(utf8(json), header -> null);
    }

    private ChangeEvent withHeaders(String value, Map<String, String> headers)
            throws InvalidEventException {
        return parser.parse(value == null ? null : utf8(value), headers::get);
    }

    private static Map<String, String> binaryHeaders(String specVersion, String contentType) {
        Map<String, String> headers = new HashMap<>();
        headers.put("ce_specversion", specVersion);
        headers.put("ce_id", "b-1");
        headers.put("ce_type", "product.updated");
        headers.put("ce_source", "/catalog");
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        return headers;
    }

    private static AbstractThrowableAssert<?, ?> refusal(ThrowingCall call, InvalidReason reason) {
        return assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    interface ThrowingCall {
        void run() throws InvalidEventException;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(utf8(s));
    }

    private static String example(String name) {
        try (InputStream in =
                CloudEventParsingTest.class.getResourceAsStream(
                        "/cloudevents/json-format/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the JSON format's own examples ------------------------------------------------------

    @Test
    void theFormatsExampleWithJsonObjectDataIsRead() throws Exception {
        ChangeEvent e = structured(example("json-object-data.json"));

        assertThat(e.id()).isEqualTo("C234-1234-1234");
        assertThat(e.type()).isEqualTo("com.example.someevent");
        assertThat(e.source()).contains("/mycontext");
        assertThat(e.subject()).as("a null attribute is unset").isEmpty();
        assertThat(e.view().at("/data/appinfoB").asInt()).isEqualTo(123);
        assertThat(e.tags()).isEmpty();
    }

    @Test
    void theFormatsExampleWithAJsonStringAndNoContentTypeIsReadAsJson() throws Exception {
        ChangeEvent e = structured(example("json-string-data.json"));

        assertThat(e.id()).isEqualTo("D234-1234-1234");
        assertThat(e.view().get("data").isTextual())
                .as("a JSON string is data as it is, never parsed again")
                .isTrue();
        assertThat(e.view().get("data").asText()).isEqualTo("I'm just a string");
    }

    @Test
    void theFormatsExamplesWithNonJsonDataAreRefusedAsUnsupportedContentType() {
        refusal(() -> structured(example("xml-data.json")), InvalidReason.UNSUPPORTED_CONTENT_TYPE)
                .hasMessageContaining("'application/xml'");
        // its data_base64 is a placeholder, not base64: the content type is refused first
        refusal(
                        () -> structured(example("binary-data.json")),
                        InvalidReason.UNSUPPORTED_CONTENT_TYPE)
                .hasMessageContaining("'application/vnd.apache.thrift.binary'");
    }

    @Test
    void theFormatsExamplesReEncodedInBinaryModeGiveTheSameOutcomes() throws Exception {
        ChangeEvent object =
                withHeaders(
                        "{\n  \"appinfoA\" : \"abc\",\n  \"appinfoB\" : 123,\n  \"appinfoC\" : true\n}",
                        binaryHeaders("1.0", "application/json"));
        assertThat(object.view().at("/data/appinfoA").asText()).isEqualTo("abc");

        ChangeEvent string =
                withHeaders("\"I'm just a string\"", binaryHeaders("1.0", "application/json"));
        assertThat(string.view().get("data").asText()).isEqualTo("I'm just a string");

        refusal(
                () -> withHeaders("<much wow=\"xml\"/>", binaryHeaders("1.0", "application/xml")),
                InvalidReason.UNSUPPORTED_CONTENT_TYPE);
        refusal(
                () ->
                        withHeaders(
                                "...raw binary bytes...",
                                binaryHeaders("1.0", "application/vnd.apache.thrift.binary")),
                InvalidReason.UNSUPPORTED_CONTENT_TYPE);
        // the document's own warning: unquoted, the string is not application/json
        refusal(
                () -> withHeaders("I'm just a string", binaryHeaders("1.0", "application/json")),
                InvalidReason.NOT_JSON);
    }

    // ---- specversion -------------------------------------------------------------------------

    @Test
    void aStructuredEventOfAnotherSpecVersionIsRefusedAsUnsupportedSpecVersion() {
        for (String version : new String[] {"\"0.3\"", "\"1.1\"", "\"\"", "1.0", "null"}) {
            refusal(
                            () ->
                                    structured(
                                            "{\"specversion\":"
                                                    + version
                                                    + ",\"id\":\"e\",\"type\":\"t\"}"),
                            InvalidReason.UNSUPPORTED_SPECVERSION)
                    .as(version)
                    .hasMessageContaining("spec");
        }
    }

    @Test
    void aStructuredContentTypeHeaderMakesTheRecordACloudEventEvenWithoutSpecVersion()
            throws Exception {
        Map<String, String> structuredHeader =
                Map.of("content-type", "application/cloudevents+json; charset=UTF-8");
        refusal(
                        () -> withHeaders("{\"id\":\"e\",\"type\":\"t\"}", structuredHeader),
                        InvalidReason.UNSUPPORTED_SPECVERSION)
                .hasMessageContaining("without 'specversion'");

        ChangeEvent e =
                withHeaders(
                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"purgetags\":\"a\"}",
                        structuredHeader);
        assertThat(e.tags()).containsExactly("a");
    }

    @Test
    void structuredCloudEventsInAnotherFormatOrInBatchesAreRefused() {
        for (String type :
                new String[] {
                    "application/cloudevents-batch+json", "application/cloudevents+avro"
                }) {
            refusal(
                            () ->
                                    withHeaders(
                                            "[{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\"}]",
                                            Map.of("content-type", type)),
                            InvalidReason.UNSUPPORTED_CONTENT_TYPE)
                    .as(type)
                    .hasMessageContaining(type);
        }
    }

    @Test
    void aBinaryEventOfAnotherSpecVersionIsRefusedAsUnsupportedSpecVersion() {
        for (String version : new String[] {"0.3", "", "1.0.2"}) {
            refusal(
                            () -> withHeaders("{\"id\":1}", binaryHeaders(version, null)),
                            InvalidReason.UNSUPPORTED_SPECVERSION)
                    .as(version)
                    .hasMessageContaining("ce_specversion");
        }
    }

    // ---- datacontenttype and data_base64 ----------------------------------------------------

    @Test
    void jsonContentTypesAreReadWhateverTheirCaseParametersOrSuffix() throws Exception {
        for (String type :
                new String[] {
                    "application/json",
                    "Application/JSON; charset=utf-8",
                    "text/json",
                    "application/vnd.example.product+json",
                    "application/cloudevents+json"
                }) {
            ChangeEvent e =
                    structured(
                            "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"datacontenttype\":\""
                                    + type
                                    + "\",\"data\":{\"tags\":[\"a\"]}}");
            assertThat(e.tags()).as(type).containsExactly("a");
        }
    }

    @Test
    void nonJsonDataIsRefusedAsUnsupportedContentTypeNotAsNotJson() {
        for (String type :
                new String[] {"text/plain", "application/xml", "application/jsonx", "json"}) {
            refusal(
                            () ->
                                    structured(
                                            "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"datacontenttype\":\""
                                                    + type
                                                    + "\",\"data\":\"{\\\"tags\\\":[\\\"a\\\"]}\"}"),
                            InvalidReason.UNSUPPORTED_CONTENT_TYPE)
                    .as(type);
            refusal(
                            () ->
                                    structured(
                                            "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"datacontenttype\":\""
                                                    + type
                                                    + "\",\"data_base64\":\""
                                                    + base64("{\"tags\":[\"a\"]}")
                                                    + "\"}"),
                            InvalidReason.UNSUPPORTED_CONTENT_TYPE)
                    .as(type);
        }
    }

    @Test
    void aNonJsonContentTypeWithoutDataLeavesTheEventToItsExtensions() throws Exception {
        ChangeEvent e =
                structured(
                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\","
                                + "\"datacontenttype\":\"text/plain\",\"purgetags\":\"a,b\"}");
        assertThat(e.tags()).containsExactly("a", "b");
    }

    @Test
    void dataBase64IsDecodedThenReadAsJson() throws Exception {
        String data = "{\"id\":42,\"tags\":[\"product-42\"],\"mode\":\"soft\"}";
        for (String type : new String[] {null, "application/json", "application/ld+json"}) {
            String contentType = type == null ? "" : ",\"datacontenttype\":\"" + type + "\"";
            ChangeEvent e =
                    structured(
                            "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\""
                                    + contentType
                                    + ",\"purgetags\":\"extra\",\"data_base64\":\""
                                    + base64(data)
                                    + "\"}");
            assertThat(e.tags()).as(type).containsExactly("product-42", "extra");
            assertThat(e.mode()).contains(PurgeMode.SOFT);
            assertThat(e.view().at("/data/id").asInt())
                    .as("templates read the decoded data")
                    .isEqualTo(42);
        }
    }

    @Test
    void dataBase64ThatIsNotBase64OrNotJsonIsRefused() {
        refusal(
                        () ->
                                structured(
                                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"data_base64\":\"not base64!\"}"),
                        InvalidReason.INVALID_FIELD)
                .hasMessageContaining("data_base64");
        refusal(
                        () ->
                                structured(
                                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"data_base64\":42}"),
                        InvalidReason.INVALID_FIELD)
                .hasMessageContaining("data_base64");
        refusal(
                        () ->
                                structured(
                                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"data_base64\":\""
                                                + base64("{tags: nope")
                                                + "\"}"),
                        InvalidReason.NOT_JSON)
                .hasMessageContaining("data_base64");
        refusal(
                        () ->
                                structured(
                                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"data_base64\":\""
                                                + base64("   ")
                                                + "\"}"),
                        InvalidReason.NOT_JSON)
                .hasMessageContaining("data_base64");
    }

    @Test
    void emptyDataBase64IsNoData() throws Exception {
        ChangeEvent e =
                structured(
                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"purgetags\":\"a\",\"data_base64\":\"\"}");
        assertThat(e.tags()).containsExactly("a");
        assertThat(e.view().has("data")).isFalse();
    }

    @Test
    void bothDataAndDataBase64AreRefusedAsInvalid() {
        refusal(
                        () ->
                                structured(
                                        "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"data\":{},\"data_base64\":\""
                                                + base64("{}")
                                                + "\"}"),
                        InvalidReason.INVALID_FIELD)
                .hasMessageContaining("not both");
    }

    @Test
    void aDataContentTypeThatIsNotAStringIsAnInvalidField() {
        refusal(
                () ->
                        structured(
                                "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"datacontenttype\":7,\"data\":{}}"),
                InvalidReason.INVALID_FIELD);
    }

    // ---- binary mode -------------------------------------------------------------------------

    @Test
    void binaryModeReadsJsonDataWithOrWithoutAContentTypeHeader() throws Exception {
        for (String type : new String[] {null, "application/json", "application/x.product+json"}) {
            ChangeEvent e =
                    withHeaders("{\"id\":9,\"urls\":[\"/p/9\"]}", binaryHeaders("1.0", type));
            assertThat(e.id()).isEqualTo("b-1");
            assertThat(e.source()).contains("/catalog");
            assertThat(e.urls()).as(type).containsExactly("/p/9");
        }
    }

    @Test
    void binaryModeWithoutAValueHasNoDataWhateverTheContentType() throws Exception {
        Map<String, String> headers = binaryHeaders("1.0", "text/plain");
        headers.put("ce_purgetags", "a");
        assertThat(withHeaders(null, headers).tags()).containsExactly("a");
        assertThat(withHeaders("", headers).tags()).containsExactly("a");
    }

    @Test
    void plainEventsKeepIgnoringTheContentTypeHeader() throws Exception {
        ChangeEvent e =
                withHeaders(
                        "{\"id\":\"p\",\"type\":\"t\",\"tags\":[\"a\"]}",
                        Map.of("content-type", "text/plain"));
        assertThat(e.tags()).containsExactly("a");
    }
}
