package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.camel.Exchange;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;
import vn.huunghi.hub.catalog.SecureXml;
import vn.huunghi.hub.crypto.HubKeys;

/** Edge step: parses the document (hardened parser) and verifies its signature as of its createdAt. */
@ApplicationScoped
@Named("verifySignature")
public class SignatureCheck {

    private static final DocumentBuilderFactory DOCUMENTS = SecureXml.documentBuilderFactory();

    private final SignatureVerification verification;
    private final Clock clock;

    SignatureCheck(HubKeys keys, Clock clock) {
        this.verification = new SignatureVerification(keys.trustAnchors(), keys.revocationLists(),
                SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        this.clock = clock;
    }

    public void verify(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        Document dom = parse(inbound.document());
        MessageHeader header = MessageHeader.of(dom);
        inbound.dom(dom, header);
        // The certificate must be valid when the sender says it signed; the replay window keeps that close to now.
        Instant messageTime = header.createdAt() != null ? header.createdAt() : clock.instant();
        SignatureVerification.Signer signer = verification.verify(dom, messageTime);
        inbound.signer(signer.certificate(), signer.party());
    }

    static Document parse(byte[] document) {
        try {
            return DOCUMENTS.newDocumentBuilder().parse(new ByteArrayInputStream(document));
        } catch (SAXException e) {
            throw new EdgeRejection(RejectionCode.XML_MALFORMED, e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
