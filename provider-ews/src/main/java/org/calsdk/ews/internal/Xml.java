package org.calsdk.ews.internal;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;

/**
 * Reads server XML defensively with a streaming (StAX) parser into a small immutable tree, by the same
 * rules as the CalDAV provider's reader: a document type declaration is refused outright (that rules out
 * external entities, parameter entities and "billion laughs" expansion), external entities are never
 * resolved nor replaced, and the input size, element depth, element count and text size are bounded
 * before anything is kept. Anything else is a {@link MalformedDataException}.
 */
public final class Xml {
    /** Largest XML body accepted by default. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

    static final int MAX_DEPTH = 64;
    static final int MAX_ELEMENTS = 500_000;
    static final int MAX_TEXT = 4 * 1024 * 1024;

    private static final XMLInputFactory FACTORY = newFactory();

    private Xml() {}

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external entity refused: " + systemId);
        });
        return f;
    }

    /** One element: namespace, local name, attributes (by local name), children and text. */
    public record Node(String ns, String name, Map<String, String> attrs, List<Node> children, String text) {
        /** The first child with local name {@code name}. */
        public Optional<Node> child(String name) {
            for (Node c : children) {
                if (c.name.equals(name)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }

        /** Every child with local name {@code name}. */
        public List<Node> all(String name) {
            List<Node> out = new ArrayList<>();
            for (Node c : children) {
                if (c.name.equals(name)) {
                    out.add(c);
                }
            }
            return out;
        }

        /** The descendant along {@code path} of local names. */
        public Optional<Node> path(String... path) {
            Optional<Node> at = Optional.of(this);
            for (String p : path) {
                at = at.flatMap(n -> n.child(p));
            }
            return at;
        }

        /** The text of the child {@code name}, if present. */
        public Optional<String> text(String name) {
            return child(name).map(Node::text);
        }

        public Optional<String> attr(String name) {
            return Optional.ofNullable(attrs.get(name));
        }

        /** Depth-first search for the first descendant named {@code name}. */
        public Optional<Node> find(String name) {
            for (Node c : children) {
                if (c.name.equals(name)) {
                    return Optional.of(c);
                }
                Optional<Node> deeper = c.find(name);
                if (deeper.isPresent()) {
                    return deeper;
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "<" + name + ">";
        }
    }

    /** Parses {@code body} (at most {@code maxBytes}) into a tree. */
    public static Node parse(byte[] body, int maxBytes, ErrorContext ctx) {
        if (body == null || body.length == 0) {
            throw new MalformedDataException("the server sent an empty XML body", ctx, null);
        }
        if (body.length > maxBytes) {
            throw new MalformedDataException(
                    "the server's XML response is " + body.length + " bytes, more than the " + maxBytes + " allowed",
                    ctx,
                    null);
        }
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            return read(r, ctx);
        } catch (XMLStreamException e) {
            throw new MalformedDataException(
                    "the server sent XML that is not well-formed or is unsafe: " + e.getMessage(), ctx, e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the byte array
                }
            }
        }
    }

    private static final class Building {
        final String ns;
        final String name;
        final Map<String, String> attrs;
        final List<Node> children = new ArrayList<>();
        final StringBuilder text = new StringBuilder();

        Building(String ns, String name, Map<String, String> attrs) {
            this.ns = ns;
            this.name = name;
            this.attrs = attrs;
        }

        Node done() {
            return new Node(
                    ns,
                    name,
                    Collections.unmodifiableMap(attrs),
                    List.copyOf(children),
                    text.toString().strip());
        }
    }

    private static Node read(XMLStreamReader r, ErrorContext ctx) throws XMLStreamException {
        List<Building> stack = new ArrayList<>();
        Node root = null;
        int elements = 0;
        long textSize = 0;
        while (r.hasNext()) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.DTD ->
                    throw new MalformedDataException(
                            "the server sent XML with a document type declaration (refused: DTDs and entities are not allowed)",
                            ctx,
                            null);
                case XMLStreamConstants.ENTITY_REFERENCE ->
                    throw new MalformedDataException(
                            "the server sent XML with an entity reference '" + r.getLocalName() + "' (refused)",
                            ctx,
                            null);
                case XMLStreamConstants.START_ELEMENT -> {
                    if (++elements > MAX_ELEMENTS) {
                        throw new MalformedDataException(
                                "the server's XML has more than " + MAX_ELEMENTS + " elements", ctx, null);
                    }
                    if (stack.size() >= MAX_DEPTH) {
                        throw new MalformedDataException(
                                "the server's XML nests deeper than " + MAX_DEPTH + " levels", ctx, null);
                    }
                    Map<String, String> attrs = new LinkedHashMap<>();
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                    }
                    stack.add(new Building(r.getNamespaceURI(), r.getLocalName(), attrs));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!stack.isEmpty()) {
                        textSize += r.getTextLength();
                        if (textSize > MAX_TEXT) {
                            throw new MalformedDataException(
                                    "the server's XML carries more than " + MAX_TEXT + " characters of text",
                                    ctx,
                                    null);
                        }
                        stack.get(stack.size() - 1)
                                .text
                                .append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    Node done = stack.remove(stack.size() - 1).done();
                    if (stack.isEmpty()) {
                        root = done;
                    } else {
                        stack.get(stack.size() - 1).children.add(done);
                    }
                }
                default -> {
                    // comments, processing instructions, document start/end: nothing to keep
                }
            }
        }
        if (root == null) {
            throw new MalformedDataException("the server sent XML without a root element", ctx, null);
        }
        return root;
    }

    /** Escapes text and attribute values for XML output. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        continue; // not representable in XML 1.0
                    }
                    b.append(c);
                }
            }
        }
        return b.toString();
    }
}
