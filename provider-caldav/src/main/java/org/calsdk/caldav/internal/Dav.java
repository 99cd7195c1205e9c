package org.calsdk.caldav.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** XML namespaces and DOM helpers for WebDAV/CalDAV. */
public final class Dav {
    public static final String DAV = "DAV:";
    public static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    public static final String CS = "http://calendarserver.org/ns/";
    public static final String ICAL = "http://apple.com/ns/ical/";

    private Dav() {}

    /** Child elements of {@code parent} with this namespace and local name. */
    public static List<Element> children(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Child elements of {@code parent}. */
    public static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    public static Optional<Element> child(Element parent, String ns, String local) {
        List<Element> c = children(parent, ns, local);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(0));
    }

    /** The trimmed text of a child element, or empty. */
    public static Optional<String> childText(Element parent, String ns, String local) {
        return child(parent, ns, local).map(e -> e.getTextContent().strip());
    }

    /** Escapes text for an XML element body or attribute value. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        continue; // not representable in XML 1.0
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** Parses an HTTP status line such as {@code HTTP/1.1 404 Not Found}; 0 when unparseable. */
    public static int statusCode(String statusLine) {
        if (statusLine == null) {
            return 0;
        }
        String[] parts = statusLine.strip().split("\\s+");
        if (parts.length < 2) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
