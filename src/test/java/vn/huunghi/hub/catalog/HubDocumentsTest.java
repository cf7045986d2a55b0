package vn.huunghi.hub.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HubDocumentsTest {

    @ParameterizedTest
    @MethodSource("vn.huunghi.hub.catalog.MessageCatalogTest#samples")
    void theMessageIdIsReadFromTheHeaderAsTheWholeDocumentHasIt(Path sample) throws Exception {
        byte[] document = Files.readAllBytes(sample);
        String inTheDom = HubDocuments.child(HubDocuments.child(HubDocuments.parse(document).getDocumentElement(), "Header"),
                "MessageId").getTextContent();
        assertEquals(inTheDom, HubDocuments.messageId(document));
    }

    @Test
    void theMessageIdOfAHubMessageIsTheOneItWasBuiltWith() {
        var body = HubDocuments.newMessage("StatusNotification", "VN-NSW", null, Instant.parse("2026-11-27T08:00:00Z"));
        var header = HubDocuments.child(body.getOwnerDocument().getDocumentElement(), "Header");
        String built = HubDocuments.child(header, "MessageId").getTextContent();
        assertEquals(built, HubDocuments.messageId(vn.huunghi.hub.crypto.XmlSigner.serialize(body.getOwnerDocument())));
    }

    @Test
    void aHeaderWithoutAMessageIdIsAnError() {
        byte[] none = ("<Message xmlns=\"urn:huunghi-gate:hub:v1\"><Header><MessageType>Receipt</MessageType></Header>"
                + "<Body><MessageId>not the header's</MessageId></Body></Message>").getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HubDocuments.messageId(none));
        assertEquals("the document's header has no MessageId", error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HubDocuments.messageId("<Message xmlns=\"urn:huunghi-gate:hub:v1\"><Header>".getBytes(StandardCharsets.UTF_8)));
    }
}
