package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import java.net.URL;
import java.security.cert.TrustAnchor;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.HubKeys;

@QuarkusTest
@QuarkusTestResource(TestPki.class)
class PartnerEdgeTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    ConnectionFactory broker;

    @Inject
    HubKeys hubKeys;

    @Inject
    AuditLog auditLog;

    @ParameterizedTest
    @CsvSource({
        "CargoPreDeclaration-dragon-fruit-export, vn-nsw",
        "ExportShipmentData, cn-nanning-customs",
        "OriginCertificate, asean-sw",
        "AseanCustomsDeclaration, asean-sw",
        "AgencyConfirmation, vn-plant-quarantine",
        "ReleaseDecision, vn-customs",
        "GateEvent, equipment-gateway",
    })
    void aValidSignedMessageFromEachPartnerTypeIsAcceptedAndQueuedOnce(String sample, String party) {
        Document document = PartnerDocuments.fresh(sample);
        String messageId = PartnerDocuments.headerValue(document, "MessageId");
        String type = PartnerDocuments.headerValue(document, "MessageType");

        PartnerClient.Receipt receipt = new PartnerClient(edge, party).submit(PartnerDocuments.sign(document, party));

        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
        assertEquals(messageId, receipt.value("ReceivedMessageId"));
        assertEquals(1, QueueProbe.count(broker, "edge.in." + type, messageId));
    }

    @Test
    void theReceiptIsSignedByTheHubAndValidAgainstTheCatalog() {
        PartnerClient.Receipt receipt = new PartnerClient(edge, "vn-nsw")
                .submit(PartnerDocuments.signed("CargoPreDeclaration-ic-import"));
        byte[] signedReceipt = receipt.signedReceipt();

        assertEquals(List.of(), MessageCatalog.v1().validate(signedReceipt));
        Document document = PartnerDocuments.parse(signedReceipt);
        SignatureVerification verification = new SignatureVerification(
                Set.of(new TrustAnchor(hubKeys.signingCertificate(), null)), List.of(),
                SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        assertEquals("HUB", verification.verify(document, Instant.now()).party());
    }

    @Test
    void theSameMessageSentTwiceYieldsTwoIdenticalReceiptsAndOneQueuedMessage() {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        String messageId = PartnerDocuments.headerValue(document, "MessageId");
        byte[] signed = PartnerDocuments.sign(document, "vn-nsw");
        PartnerClient nsw = new PartnerClient(edge, "vn-nsw");

        PartnerClient.Receipt first = nsw.submit(signed);
        PartnerClient.Receipt second = nsw.submit(signed);

        assertEquals("ACCEPTED", first.verdict(), first::toString);
        assertArrayEquals(first.signedReceipt(), second.signedReceipt());
        assertEquals(1, QueueProbe.count(broker, "edge.in.CargoPreDeclaration", messageId));
    }

    @Test
    void aSecondDocumentUnderAnAcceptedMessageIdIsRejected() {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        PartnerClient nsw = new PartnerClient(edge, "vn-nsw");
        assertEquals("ACCEPTED", nsw.submit(PartnerDocuments.sign(document, "vn-nsw")).verdict());

        Document other = PartnerDocuments.fresh("CargoPreDeclaration-ic-import");
        PartnerDocuments.header(other, "MessageId", PartnerDocuments.headerValue(document, "MessageId"));
        PartnerClient.Receipt receipt = nsw.submit(PartnerDocuments.sign(other, "vn-nsw"));

        assertEquals(List.of(RejectionCode.MESSAGE_ID_REUSED.name()), receipt.errorCodes(), receipt::toString);
    }

    @Test
    void everyAcceptedMessageIsArchivedInAnUnbrokenHashChain() throws Exception {
        PartnerClient nsw = new PartnerClient(edge, "vn-nsw");
        for (int i = 0; i < 3; i++) {
            assertEquals("ACCEPTED", nsw.submit(PartnerDocuments.signed("CargoPreDeclaration")).verdict());
        }
        assertTrue(auditLog.firstBrokenEntry().isEmpty());
    }
}
