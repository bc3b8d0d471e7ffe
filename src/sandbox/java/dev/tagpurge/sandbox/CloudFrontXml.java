package dev.tagpurge.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * CloudFront's REST-XML shapes (API version {@value #API_VERSION}) as the AWS SDK sends and reads
 * them: the {@code InvalidationBatch} request body, the {@code Invalidation} answer and the {@code
 * ErrorResponse}. The parser refuses DTDs and external entities.
 */
final class CloudFrontXml {

    static final String API_VERSION = "2020-05-31";
    static final String NAMESPACE = "http://cloudfront.amazonaws.com/doc/" + API_VERSION + "/";

    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    /**
     * A parsed {@code InvalidationBatch}.
     *
     * @param callerReference the CallerReference, empty if missing
     * @param quantity the declared {@code Paths/Quantity}, empty if missing or not a number
     * @param paths the {@code Paths/Items/Path} values in order
     */
    record Batch(Optional<String> callerReference, Optional<Integer> quantity, List<String> paths) {

        Batch {
            paths = List.copyOf(paths);
        }
    }

    private CloudFrontXml() {}

    /**
     * Parses an {@code InvalidationBatch} body.
     *
     * @throws IllegalArgumentException when the body is not XML or has another root element
     */
    static Batch parseBatch(String body) {
        Element root = parse(body).getDocumentElement();
        if (!"InvalidationBatch".equals(localName(root))) {
            throw new IllegalArgumentException(
                    "expected an InvalidationBatch element, got " + localName(root));
        }
        Optional<String> reference = child(root, "CallerReference").map(Node::getTextContent);
        Optional<Element> paths = child(root, "Paths");
        Optional<Integer> quantity =
                paths.flatMap(p -> child(p, "Quantity"))
                        .map(q -> q.getTextContent().strip())
                        .flatMap(CloudFrontXml::parseInt);
        List<String> items = new ArrayList<>();
        paths.flatMap(p -> child(p, "Items"))
                .ifPresent(
                        list -> {
                            for (Element path : children(list)) {
                                if ("Path".equals(localName(path))) {
                                    items.add(path.getTextContent());
                                }
                            }
                        });
        return new Batch(reference, quantity, items);
    }

    /** The {@code Invalidation} document CreateInvalidation and GetInvalidation answer. */
    static String invalidation(CloudFrontInvalidation invalidation, Instant now) {
        StringBuilder xml = new StringBuilder(256 + invalidation.paths().size() * 40);
        xml.append(DECLARATION).append("<Invalidation xmlns=\"").append(NAMESPACE).append("\">");
        element(xml, "Id", invalidation.id());
        element(xml, "Status", invalidation.status(now));
        element(xml, "CreateTime", timestamp(invalidation.createTime()));
        xml.append("<InvalidationBatch><Paths>");
        element(xml, "Quantity", Integer.toString(invalidation.paths().size()));
        if (!invalidation.paths().isEmpty()) {
            xml.append("<Items>");
            invalidation.paths().forEach(path -> element(xml, "Path", path));
            xml.append("</Items>");
        }
        xml.append("</Paths>");
        element(xml, "CallerReference", invalidation.callerReference());
        xml.append("</InvalidationBatch></Invalidation>");
        return xml.toString();
    }

    /** An AWS {@code ErrorResponse}: type Sender for 4xx, Receiver for 5xx. */
    static String error(int status, String code, String message, String requestId) {
        StringBuilder xml = new StringBuilder(256);
        xml.append(DECLARATION)
                .append("<ErrorResponse xmlns=\"")
                .append(NAMESPACE)
                .append("\"><Error>");
        element(xml, "Type", status >= 500 ? "Receiver" : "Sender");
        element(xml, "Code", code);
        element(xml, "Message", message);
        xml.append("</Error>");
        element(xml, "RequestId", requestId);
        xml.append("</ErrorResponse>");
        return xml.toString();
    }

    /** ISO-8601 in UTC with milliseconds, as CloudFront writes timestamps. */
    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void element(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>').append(escape(text));
        xml.append("</").append(name).append('>');
    }

    private static Document parse(String body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("the body is not well-formed XML");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks secure processing", e);
        }
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent).stream().filter(e -> name.equals(localName(e))).findFirst();
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    private static Optional<Integer> parseInt(String s) {
        try {
            return Optional.of(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
