package org.calsdk.caldav.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A parsed WebDAV {@code multistatus} (RFC 4918 §13): one {@link Entry} per {@code response}, plus the
 * {@code sync-token} of a sync-collection REPORT (RFC 6578).
 */
public record Multistatus(List<Entry> entries, String syncToken) {

    public Multistatus {
        entries = List.copyOf(entries);
    }

    public Optional<String> syncTokenValue() {
        return Optional.ofNullable(syncToken);
    }

    /**
     * One {@code response}.
     *
     * @param href   the decoded href as sent (path or absolute URL)
     * @param status the response-level status (sync-collection deletions: 404; truncation: 507), or 0
     * @param props  properties found (propstat 200), by "{namespace}local"
     * @param missing properties reported with a non-200 propstat
     */
    public record Entry(String href, int status, Map<String, Element> props, List<String> missing) {
        public Entry {
            props = Map.copyOf(props);
            missing = List.copyOf(missing);
        }

        public Optional<Element> prop(String ns, String local) {
            return Optional.ofNullable(props.get(key(ns, local)));
        }

        /** The property's trimmed text, or empty when absent or empty. */
        public Optional<String> text(String ns, String local) {
            return prop(ns, local).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
        }

        /** The first {@code DAV:href} inside the property. */
        public Optional<String> href(String ns, String local) {
            return prop(ns, local).flatMap(e -> Dav.childText(e, Dav.DAV, "href"));
        }

        /** All {@code DAV:href}s inside the property. */
        public List<String> hrefs(String ns, String local) {
            List<String> out = new ArrayList<>();
            prop(ns, local)
                    .ifPresent(e -> Dav.children(e, Dav.DAV, "href")
                            .forEach(h -> out.add(h.getTextContent().strip())));
            return out;
        }

        /** Whether the resourcetype contains the given element. */
        public boolean isType(String ns, String local) {
            return prop(Dav.DAV, "resourcetype")
                    .map(e -> !Dav.children(e, ns, local).isEmpty())
                    .orElse(false);
        }
    }

    static String key(String ns, String local) {
        return "{" + ns + "}" + local;
    }

    /** Parses a multistatus document; anything else is {@link MalformedDataException}. */
    public static Multistatus parse(byte[] body, int maxBytes, ErrorContext ctx) {
        Document doc = SafeXml.parse(body, maxBytes, ctx);
        Element root = doc.getDocumentElement();
        if (!"multistatus".equals(root.getLocalName()) || !Dav.DAV.equals(root.getNamespaceURI())) {
            throw new MalformedDataException(
                    "expected a DAV:multistatus, the server sent <" + root.getNodeName() + ">", ctx, null);
        }
        List<Entry> entries = new ArrayList<>();
        for (Element r : Dav.children(root, Dav.DAV, "response")) {
            List<Element> hrefs = Dav.children(r, Dav.DAV, "href");
            if (hrefs.isEmpty()) {
                throw new MalformedDataException("a DAV:response without href", ctx, null);
            }
            int status =
                    Dav.childText(r, Dav.DAV, "status").map(Dav::statusCode).orElse(0);
            Map<String, Element> props = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (Element ps : Dav.children(r, Dav.DAV, "propstat")) {
                int psStatus = Dav.childText(ps, Dav.DAV, "status")
                        .map(Dav::statusCode)
                        .orElse(0);
                for (Element prop : Dav.children(ps, Dav.DAV, "prop")) {
                    for (Element p : Dav.children(prop)) {
                        String k = key(p.getNamespaceURI() == null ? "" : p.getNamespaceURI(), p.getLocalName());
                        if (psStatus >= 200 && psStatus < 300) {
                            props.put(k, p);
                        } else {
                            missing.add(k);
                        }
                    }
                }
            }
            // RFC 4918 allows several hrefs sharing one status (no propstat); expand them
            for (Element h : hrefs) {
                entries.add(new Entry(h.getTextContent().strip(), status, props, missing));
            }
        }
        String token = Dav.childText(root, Dav.DAV, "sync-token").orElse(null);
        return new Multistatus(entries, token);
    }

    /** Whether a DAV:error body (e.g. of a 403) names the precondition {@code ns}:{@code local}. */
    public static boolean errorNames(byte[] body, String ns, String local, ErrorContext ctx) {
        if (body == null || body.length == 0) {
            return false;
        }
        try {
            Element root = SafeXml.parse(body, 1024 * 1024, ctx).getDocumentElement();
            return "error".equals(root.getLocalName())
                    && Dav.DAV.equals(root.getNamespaceURI())
                    && !Dav.children(root, ns, local).isEmpty();
        } catch (MalformedDataException e) {
            return false;
        }
    }

    /** The href inside a DAV:error precondition element (e.g. CALDAV:no-uid-conflict), if any. */
    public static Optional<String> errorHref(byte[] body, String ns, String local, ErrorContext ctx) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            Element root = SafeXml.parse(body, 1024 * 1024, ctx).getDocumentElement();
            return Dav.child(root, ns, local).flatMap(e -> Dav.childText(e, Dav.DAV, "href"));
        } catch (MalformedDataException e) {
            return Optional.empty();
        }
    }
}
