package org.calsdk.caldav.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses server XML defensively: DOCTYPE declarations are refused outright (that rules out external
 * entities, parameter entities and "billion laughs" entity expansion), external DTD/schema access is
 * disabled, XInclude is off, the JDK's secure-processing limits apply (entity expansion, element depth,
 * attribute counts), and the input size is bounded before parsing starts. Anything else is a
 * {@link MalformedDataException}.
 */
public final class SafeXml {
    /** Largest XML body accepted by default (a multistatus of several thousand events' metadata). */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

    private static final DocumentBuilderFactory FACTORY = newFactory();

    private SafeXml() {}

    private static DocumentBuilderFactory newFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.entityExpansionLimit", "1000");
            f.setAttribute("jdk.xml.maxElementDepth", "100");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setValidating(false);
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured safely", e);
        }
        return f;
    }

    /** Parses {@code body} (at most {@code maxBytes}) into a namespace-aware DOM. */
    public static Document parse(byte[] body, int maxBytes, ErrorContext ctx) {
        if (body == null || body.length == 0) {
            throw new MalformedDataException("the server sent an empty XML body", ctx, null);
        }
        if (body.length > maxBytes) {
            throw new MalformedDataException(
                    "the server's XML response is " + body.length + " bytes, more than the " + maxBytes + " allowed",
                    ctx,
                    null);
        }
        try {
            DocumentBuilder b;
            synchronized (FACTORY) {
                b = FACTORY.newDocumentBuilder();
            }
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // warnings do not make the document unusable
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new InputSource(new ByteArrayInputStream(body)));
        } catch (SAXParseException e) {
            throw new MalformedDataException(
                    "the server sent XML that is not well-formed or is unsafe (line " + e.getLineNumber() + "): "
                            + e.getMessage(),
                    ctx,
                    e);
        } catch (SAXException e) {
            throw new MalformedDataException("the server sent unsafe or broken XML: " + e.getMessage(), ctx, e);
        } catch (IOException | ParserConfigurationException e) {
            throw new MalformedDataException("cannot read the server's XML: " + e.getMessage(), ctx, e);
        }
    }
}
