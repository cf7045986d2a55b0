package vn.huunghi.hub.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import org.w3c.dom.Document;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Writes a DOM document as UTF-8 bytes, byte for byte as the JDK's identity transform wrote it
 * (DocumentWriterTest compares the two over every fixture). The transform was 13 % of a compiled
 * hub's CPU, a quarter of that in setting up a serializer for each call (docs/performance.md).
 * Namespaces a node uses but no ancestor declares are declared on it; a declaration an ancestor
 * already made is not repeated.
 */
final class DocumentWriter {

    private static final String XMLNS = "xmlns";

    private final StringBuilder out = new StringBuilder(4096);
    // in-scope prefix bindings, innermost last: {prefix, namespace}
    private final List<String[]> bindings = new ArrayList<>();

    private DocumentWriter() {
        bindings.add(new String[] {"", ""});
        bindings.add(new String[] {XMLConstants.XML_NS_PREFIX, XMLConstants.XML_NS_URI});
    }

    static byte[] write(Document document) {
        DocumentWriter writer = new DocumentWriter();
        writer.declaration(document);
        for (Node child = document.getFirstChild(); child != null; child = child.getNextSibling()) {
            writer.node(child);
        }
        return writer.out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void declaration(Document document) {
        out.append("<?xml version=\"").append(document.getXmlVersion() == null ? "1.0" : document.getXmlVersion())
                .append("\" encoding=\"UTF-8\"");
        if (!document.getXmlStandalone()) {
            out.append(" standalone=\"no\"");
        }
        out.append("?>");
    }

    private void node(Node node) {
        switch (node.getNodeType()) {
            case Node.ELEMENT_NODE -> element(node);
            case Node.TEXT_NODE -> text(node.getNodeValue());
            case Node.CDATA_SECTION_NODE -> out.append("<![CDATA[")
                    .append(node.getNodeValue().replace("]]>", "]]]]><![CDATA[>")).append("]]>");
            case Node.COMMENT_NODE -> out.append("<!--").append(node.getNodeValue()).append("-->");
            case Node.PROCESSING_INSTRUCTION_NODE -> processingInstruction(node.getNodeName(), node.getNodeValue());
            default -> {
                // document types, entity references, notations: the identity transform leaves them out too
            }
        }
    }

    private void processingInstruction(String target, String data) {
        out.append("<?").append(target);
        if (!data.isEmpty() && !Character.isSpaceChar(data.charAt(0))) {
            out.append(' ');
        }
        out.append(data).append("?>");
    }

    private void element(Node element) {
        String name = element.getNodeName();
        int scope = bindings.size();
        out.append('<').append(name);
        NamedNodeMap attributes = element.getAttributes();
        int count = attributes.getLength();
        int madeUpPrefixes = 0;
        for (int i = 0; i < count; i++) {
            Node attribute = attributes.item(i);
            String attributeName = attribute.getNodeName();
            if (attributeName.startsWith(XMLNS)) {
                int colon = attributeName.indexOf(':');
                declare(colon > 0 ? attributeName.substring(colon + 1) : "", attribute.getNodeValue());
            }
        }
        for (int i = 0; i < count; i++) {
            Node attribute = attributes.item(i);
            String attributeName = attribute.getNodeName();
            if (attributeName.startsWith(XMLNS)) {
                continue;
            }
            String namespace = attribute.getNamespaceURI();
            if (namespace != null && !namespace.isEmpty()) {
                int colon = attributeName.indexOf(':');
                // a namespaced attribute created without a prefix gets one made up; the transform counts
                // every namespaced attribute of the element but xml:*, prefixed or not, and so does this
                String madeUp = namespace.equals(XMLConstants.XML_NS_URI) ? null : "ns" + madeUpPrefixes++;
                String prefix = colon > 0 ? attributeName.substring(0, colon) : madeUp;
                declare(prefix, namespace);
                if (colon < 0) {
                    attributeName = prefix + ':' + attributeName;
                }
            }
            attribute(attributeName, attribute.getNodeValue());
        }
        String namespace = element.getNamespaceURI();
        if (namespace != null) {
            int colon = name.indexOf(':');
            declare(colon > 0 ? name.substring(0, colon) : "", namespace);
        } else if (element.getLocalName() != null) {
            declare("", "");
        }
        Node child = element.getFirstChild();
        while (child != null && isEmptyText(child)) {
            child = child.getNextSibling();
        }
        if (child == null) {
            out.append("/>");
        } else {
            out.append('>');
            for (; child != null; child = child.getNextSibling()) {
                node(child);
            }
            out.append("</").append(name).append('>');
        }
        bindings.subList(scope, bindings.size()).clear();
    }

    private static boolean isEmptyText(Node node) {
        return node.getNodeType() == Node.TEXT_NODE && node.getNodeValue().isEmpty();
    }

    /** Declares the binding on the element being opened, unless it is already in scope. */
    private void declare(String prefix, String namespace) {
        if (prefix.startsWith(XMLConstants.XML_NS_PREFIX) || namespace.equals(boundTo(prefix))) {
            return;
        }
        bindings.add(new String[] {prefix, namespace});
        attribute(prefix.isEmpty() ? XMLNS : XMLNS + ':' + prefix, namespace);
    }

    private String boundTo(String prefix) {
        for (int i = bindings.size() - 1; i >= 0; i--) {
            if (bindings.get(i)[0].equals(prefix)) {
                return bindings.get(i)[1];
            }
        }
        return null;
    }

    private void attribute(String name, String value) {
        out.append(' ').append(name).append("=\"");
        int plain = 0;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (plainInAttribute(c)) {
                continue;
            }
            out.append(value, plain, i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                default -> i = character(value, i);
            }
            plain = i + 1;
        }
        out.append(value, plain, value.length()).append('"');
    }

    // Runs of characters written as they are go out in one append: one append per character was
    // half of this writer's time in a compiled hub's profile (docs/performance.md, session 27).
    private void text(String text) {
        int plain = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (plainInText(c)) {
                continue;
            }
            out.append(text, plain, i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\r' -> out.append("&#13;");
                default -> i = character(text, i);
            }
            plain = i + 1;
        }
        out.append(text, plain, text.length());
    }

    /** A character text content carries as it is: not markup, not a control character, not half of a pair. */
    private static boolean plainInText(char c) {
        return c >= 0x20 && c < 0x7F ? c != '&' && c != '<' && c != '>'
                : c == '\n' || c == '\t' || (c > 0x9F && !Character.isSurrogate(c));
    }

    /** Likewise in an attribute's value, where the transform writes the controls from 0x7F to 0x9F as they are. */
    private static boolean plainInAttribute(char c) {
        return c >= 0x20 && c != '&' && c != '<' && c != '>' && c != '"' && !Character.isSurrogate(c);
    }

    /** Writes the character at i, or the pair of surrogates starting there; answers the index of its last char. */
    private int character(String text, int i) {
        char c = text.charAt(i);
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            out.append("&#").append((int) c).append(';');
        } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
            // the transform writes a character beyond the Basic Multilingual Plane as a reference
            out.append("&#").append(text.codePointAt(i)).append(';');
            return i + 1;
        } else {
            out.append(c);
        }
        return i;
    }
}
