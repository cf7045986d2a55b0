package vn.huunghi.hub.edge;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.huunghi.hub.catalog.MessageCatalog;

/** The envelope header fields the edge decides on, read straight from the DOM (before schema validation). */
public record MessageHeader(String messageId, String messageType, String functionCode, String sender,
        String receiver, Instant createdAt) {

    static final MessageHeader EMPTY = new MessageHeader(null, null, null, null, null, null);

    static MessageHeader of(Document document) {
        Element root = document.getDocumentElement();
        Element header = child(root, "Header");
        if (header == null) {
            return EMPTY;
        }
        return new MessageHeader(text(header, "MessageId"), text(header, "MessageType"),
                text(header, "FunctionCode"), text(header, "Sender"), text(header, "Receiver"),
                instant(text(header, "CreatedAt")));
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())
                    && MessageCatalog.NAMESPACE_V1.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }
}
