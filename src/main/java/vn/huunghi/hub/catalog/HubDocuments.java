package vn.huunghi.hub.catalog;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Builds catalog messages as DOM, for the hub's own messages that copy or sign parts of others. */
public final class HubDocuments {

    private static final String NS = MessageCatalog.NAMESPACE_V1;

    private HubDocuments() {
    }

    /** A Message from the hub with its header filled and an empty Body; returns the Body. */
    public static Element newMessage(String type, String receiver, String correlationId, Instant now) {
        Document document = newDocument();
        Element message = document.createElementNS(NS, "Message");
        message.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns", NS);
        document.appendChild(message);
        Element header = add(message, "Header");
        text(header, "MessageId", UUID.randomUUID().toString());
        if (correlationId != null) {
            text(header, "CorrelationId", correlationId);
        }
        text(header, "MessageType", type);
        text(header, "FunctionCode", "NOTIFY");
        text(header, "Sender", "HUB");
        text(header, "Receiver", receiver);
        text(header, "CreatedAt", timestamp(now));
        text(header, "SchemaVersion", "1.0");
        return add(message, "Body");
    }

    public static Element add(Element parent, String name) {
        Element child = parent.getOwnerDocument().createElementNS(NS, name);
        parent.appendChild(child);
        return child;
    }

    public static Element text(Element parent, String name, String value) {
        Element child = add(parent, name);
        child.setTextContent(value);
        return child;
    }

    /** The first child element of that local name in the catalog namespace, or null. */
    public static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName()) && NS.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
    }

    /**
     * The MessageId in a catalog message's header, read up to it and no further: for the hub's
     * own documents, which have it near their start, without building a DOM of the whole.
     */
    public static String messageId(byte[] document) {
        try {
            XMLStreamReader reader = SecureXml.streamReader(document);
            try {
                int depth = 0;
                boolean inHeader = false;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        boolean ours = NS.equals(reader.getNamespaceURI());
                        if (depth == 2) {
                            inHeader = ours && "Header".equals(reader.getLocalName());
                        } else if (depth == 3 && inHeader && ours && "MessageId".equals(reader.getLocalName())) {
                            return reader.getElementText().strip();
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        if (--depth == 1 && inHeader) {
                            break; // a header without one
                        }
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not a well-formed document: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("the document's header has no MessageId");
    }

    public static Document parse(byte[] document) {
        try {
            return SecureXml.documentBuilder().parse(new ByteArrayInputStream(document));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a well-formed document: " + e.getMessage(), e);
        }
    }

    public static Document newDocument() {
        return SecureXml.documentBuilder().newDocument();
    }
}
