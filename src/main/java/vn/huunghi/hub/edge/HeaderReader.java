package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import java.util.Optional;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.catalog.PartnerFormats;
import vn.huunghi.hub.catalog.SecureXml;

/** Edge step: parses the document with the hardened parser and reads the header the next steps decide on. */
@ApplicationScoped
@Named("readHeader")
public class HeaderReader {

    private final PartnerFormats formats;

    HeaderReader(PartnerFormats formats) {
        this.formats = formats;
    }

    /** Reads the header; a document in a partner's own format is first translated to the canonical message. */
    public void read(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        Document dom = parse(inbound.document());
        Optional<PartnerFormats.Format> format = formats.of(dom);
        if (format.isPresent()) {
            byte[] canonical;
            try {
                canonical = PartnerFormats.toCanonical(format.get(), dom);
            } catch (IllegalArgumentException e) {
                throw new EdgeRejection(RejectionCode.SCHEMA_INVALID, "cannot be translated from " + format.get().id()
                        + ": " + e.getMessage());
            }
            inbound.translated(dom, format.get().id(), canonical);
            dom = parse(canonical);
        }
        Element root = dom.getDocumentElement();
        if (!"Message".equals(root.getLocalName()) || !MessageCatalog.NAMESPACE_V1.equals(root.getNamespaceURI())) {
            // say so now: read in no namespace the header would be empty and every later check misleading
            throw new EdgeRejection(RejectionCode.SCHEMA_INVALID, "the document is {" + root.getNamespaceURI() + "}"
                    + root.getLocalName() + ", not a catalog message {" + MessageCatalog.NAMESPACE_V1 + "}Message");
        }
        inbound.dom(dom, MessageHeader.of(dom));
    }

    static Document parse(byte[] document) {
        try {
            return SecureXml.documentBuilder().parse(new ByteArrayInputStream(document));
        } catch (SAXException e) {
            throw new EdgeRejection(RejectionCode.XML_MALFORMED, e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
