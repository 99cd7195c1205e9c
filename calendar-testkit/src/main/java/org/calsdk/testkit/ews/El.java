package org.calsdk.testkit.ews;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The fake's view of a request element: local name, attributes by local name, child elements and text.
 * Parsed with the JDK's DOM with DOCTYPE refused (a client must never make the fake resolve entities).
 */
record El(String name, Map<String, String> attrs, List<El> children, String text) {
    private static final DocumentBuilderFactory FACTORY = factory();

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    /** Parses a request body; throws IllegalArgumentException for anything that is not safe, well-formed XML. */
    static El parse(byte[] body) {
        try {
            Document d;
            synchronized (FACTORY) {
                d = FACTORY.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            }
            return of(d.getDocumentElement());
        } catch (Exception e) {
            throw new IllegalArgumentException("the request is not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static El of(Element e) {
        Map<String, String> attrs = new LinkedHashMap<>();
        NamedNodeMap nm = e.getAttributes();
        for (int i = 0; i < nm.getLength(); i++) {
            Node a = nm.item(i);
            String n = a.getLocalName() == null ? a.getNodeName() : a.getLocalName();
            if (!"xmlns".equals(a.getPrefix()) && !"xmlns".equals(n)) {
                attrs.put(n, a.getNodeValue());
            }
        }
        List<El> kids = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce) {
                kids.add(of(ce));
            } else if (c.getNodeType() == Node.TEXT_NODE || c.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(c.getNodeValue());
            }
        }
        String local = e.getLocalName() == null ? e.getNodeName() : e.getLocalName();
        return new El(local, attrs, List.copyOf(kids), text.toString().strip());
    }

    Optional<El> child(String n) {
        return children.stream().filter(c -> c.name.equals(n)).findFirst();
    }

    List<El> all(String n) {
        return children.stream().filter(c -> c.name.equals(n)).toList();
    }

    Optional<El> path(String... names) {
        Optional<El> at = Optional.of(this);
        for (String n : names) {
            at = at.flatMap(x -> x.child(n));
        }
        return at;
    }

    Optional<String> text(String n) {
        return child(n).map(El::text);
    }

    Optional<String> attr(String n) {
        return Optional.ofNullable(attrs.get(n));
    }

    Optional<El> find(String n) {
        for (El c : children) {
            if (c.name.equals(n)) {
                return Optional.of(c);
            }
            Optional<El> d = c.find(n);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** The child texts of this element, for the recurrence translator. */
    Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        for (El c : children) {
            m.put(c.name, c.text);
        }
        return m;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
