package vn.huunghi.hub.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.catalog.v1.MessageType;
import vn.huunghi.hub.edge.PartnerDocuments;

class CatalogMessagesTest {

    @Test
    void aSignedMessageIsReadWhole_butWithoutBuildingItsSignature() {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        String messageId = PartnerDocuments.headerValue(document, "MessageId");
        byte[] signed = PartnerDocuments.sign(document, "vn-nsw");
        assertTrue(new String(signed, StandardCharsets.UTF_8).contains("SignatureValue"));

        MessageType message = CatalogMessages.read(signed);

        assertEquals(messageId, message.getHeader().getMessageId());
        assertNotNull(message.getBody().getCargoPreDeclaration());
        assertTrue(!message.getBody().getCargoPreDeclaration().getGoodsItem().isEmpty());
        assertNull(message.getAny(), "the verified signature is not turned into a DOM tree for the workflow");
    }

    @Test
    void anUnsignedMessageReadsTheSame() {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        byte[] unsigned = vn.huunghi.hub.crypto.XmlSigner.serialize(document);
        MessageType message = CatalogMessages.read(unsigned);
        assertEquals(PartnerDocuments.headerValue(document, "MessageId"), message.getHeader().getMessageId());
    }
}
