package org.calsdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.calsdk.internal.Checks;

/**
 * Reads which operation a request asks for from its body (or headers), for APIs that put every call on
 * one URL: every EWS call is a POST to {@code /EWS/Exchange.asmx} naming its operation in the SOAP body.
 * A route registered with {@link RouteSpec#whenBody} matches only requests whose extracted operation is
 * the given one; fault rules and accounting then see the route's own operation name.
 *
 * <pre>{@code
 * FakeServer.builder(state)
 *     .route(RouteSpec.of("POST", "/EWS/Exchange.asmx", "GetUserAvailability", Ews::availability)
 *             .whenBody(OperationExtractor.soapBodyElement(), "GetUserAvailabilityRequest"))
 *     .route(RouteSpec.of("POST", "/EWS/Exchange.asmx", "SyncFolderItems", Ews::sync)
 *             .whenBody(OperationExtractor.soapBodyElement(), "SyncFolderItems"))
 * }</pre>
 *
 * Extractors must not throw on bad input: an unreadable body has no operation (empty).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface OperationExtractor {

    /**
     * The operation the request asks for, or empty when it names none (or cannot be read).
     *
     * @param request the request whose body (or headers) is read
     * @return the operation name, or empty
     */
    Optional<String> operation(FakeRequest request);

    /**
     * The local name of the first child element of the SOAP {@code Body} (SOAP 1.1 or 1.2), such as
     * {@code GetUserAvailabilityRequest}. The XML is read without DTDs or external entities; at most the
     * first 10,000 XML events are looked at.
     *
     * @return the extractor
     */
    static OperationExtractor soapBodyElement() {
        return request -> {
            byte[] body = request.body();
            if (body.length == 0) {
                return Optional.empty();
            }
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader r = null;
            try {
                r = f.createXMLStreamReader(new ByteArrayInputStream(body));
                boolean inBody = false;
                for (int i = 0; i < 10_000 && r.hasNext(); i++) {
                    int ev = r.next();
                    if (ev == XMLStreamConstants.DTD) {
                        return Optional.empty();
                    }
                    if (ev == XMLStreamConstants.START_ELEMENT) {
                        if (inBody) {
                            return Optional.of(r.getLocalName());
                        }
                        inBody = "Body".equals(r.getLocalName())
                                && r.getNamespaceURI() != null
                                && r.getNamespaceURI().startsWith("http://")
                                && r.getNamespaceURI().contains("soap");
                    }
                }
                return Optional.empty();
            } catch (XMLStreamException | RuntimeException e) {
                return Optional.empty();
            } finally {
                if (r != null) {
                    try {
                        r.close();
                    } catch (XMLStreamException ignored) {
                        // nothing held
                    }
                }
            }
        };
    }

    /**
     * The text of the top-level JSON field {@code field} (JSON-RPC style APIs).
     *
     * @param field the top-level field's name
     * @return the extractor; empty for a body that is not a JSON object or lacks a text field
     */
    static OperationExtractor jsonField(String field) {
        Checks.notBlank(field, "field");
        ObjectMapper json = new ObjectMapper();
        return request -> {
            try {
                JsonNode n = json.readTree(request.body());
                JsonNode v = n == null ? null : n.get(field);
                return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
            } catch (java.io.IOException | RuntimeException e) {
                return Optional.empty();
            }
        };
    }

    /**
     * The value of the request header {@code name} (such as {@code SOAPAction}), unquoted.
     *
     * @param name the header name, in any case
     * @return the extractor; empty when the header is absent
     */
    static OperationExtractor header(String name) {
        Checks.notBlank(name, "name");
        return request -> request.header(name)
                .map(v -> v.strip().replaceAll("^\"|\"$", ""))
                .filter(v -> !v.isEmpty());
    }
}
