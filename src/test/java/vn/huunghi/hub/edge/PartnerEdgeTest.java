package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import vn.huunghi.hub.broker.EmbeddedBroker;
import java.net.URL;
import java.security.cert.TrustAnchor;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
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
    EmbeddedBroker embeddedBroker;

    @Inject
    HubKeys hubKeys;

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @Inject
    InboundLedger ledger;

    @Inject
    org.apache.camel.CamelContext camel;

    @Inject
    vn.huunghi.hub.HubConfig config;

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

        long before = embeddedBroker.messagesAdded("edge.in." + type);

        PartnerClient.Receipt receipt = new PartnerClient(edge, party).submit(PartnerDocuments.sign(document, party));

        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
        assertEquals(messageId, receipt.value("ReceivedMessageId"));
        assertEquals(before + 1, embeddedBroker.messagesAdded("edge.in." + type));
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
        long before = embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration");

        PartnerClient.Receipt first = nsw.submit(signed);
        PartnerClient.Receipt second = nsw.submit(signed);

        assertEquals("ACCEPTED", first.verdict(), first::toString);
        assertArrayEquals(first.signedReceipt(), second.signedReceipt());
        assertEquals(before + 1, embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration"));
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
    void anExactRepeatOfAnAcceptedDocumentGetsItsFirstReceiptAfterTheReplayWindowHasPassed() throws Exception {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        PartnerDocuments.header(document, "CreatedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(20)));
        String messageId = PartnerDocuments.headerValue(document, "MessageId");
        byte[] signed = PartnerDocuments.sign(document, "vn-nsw");
        PartnerClient nsw = new PartnerClient(edge, "vn-nsw");
        assertEquals(List.of(RejectionCode.CREATED_AT_OUT_OF_WINDOW.name()), nsw.submit(signed).errorCodes(),
                "a new document twenty minutes old is refused");
        // as if the hub had accepted it twenty minutes ago, when it was new: the ledger holds its receipt
        byte[] firstReceipt = nsw.submit(PartnerDocuments.signed("CargoPreDeclaration")).signedReceipt();
        ledgerRow(messageId, signed, "ACCEPTED", Instant.now().minus(Duration.ofMinutes(20)), firstReceipt);
        long before = embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration");

        PartnerClient.Receipt repeat = nsw.submit(signed);

        assertArrayEquals(firstReceipt, repeat.signedReceipt(), repeat::toString);
        assertEquals(before, embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration"), "and it is not queued again");
    }

    @Test
    void everyAcceptedMessageIsArchivedInAnUnbrokenHashChain() throws Exception {
        PartnerClient nsw = new PartnerClient(edge, "vn-nsw");
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Document document = PartnerDocuments.fresh("CargoPreDeclaration");
            messageIds.add(PartnerDocuments.headerValue(document, "MessageId"));
            assertEquals("ACCEPTED", nsw.submit(PartnerDocuments.sign(document, "vn-nsw")).verdict());
        }
        auditLog.chainPending();
        try (Connection connection = dataSource.getConnection()) {
            for (String messageId : messageIds) {
                try (PreparedStatement chained = connection.prepareStatement(
                        "SELECT COUNT(*) FROM audit_log WHERE message_id = ? AND direction = 'IN'")) {
                    chained.setString(1, messageId);
                    try (ResultSet count = chained.executeQuery()) {
                        count.next();
                        assertEquals(1, count.getInt(1), messageId);
                    }
                }
            }
        }
        assertTrue(auditLog.firstBrokenEntry().isEmpty());
    }

    @Test
    void anArchivedDocumentChangedInTheDatabaseBreaksTheChainAtThatEntry() throws Exception {
        byte[] signed = PartnerDocuments.signed("CargoPreDeclaration");
        assertEquals("ACCEPTED", new PartnerClient(edge, "vn-nsw").submit(signed).verdict());
        auditLog.chainPending();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            long last;
            String sha256;
            byte[] archived;
            try (ResultSet max = statement.executeQuery("SELECT a.seq, a.document_sha256, d.document FROM audit_log a"
                    + " JOIN audit_document d ON d.document_sha256 = a.document_sha256"
                    + " WHERE a.seq = (SELECT MAX(seq) FROM audit_log WHERE direction = 'IN')")) {
                max.next();
                last = max.getLong(1);
                sha256 = max.getString(2);
                archived = max.getBytes(3);
            }
            String update = "UPDATE audit_document SET document = ? WHERE document_sha256 = ?";
            try (PreparedStatement tamper = connection.prepareStatement(update)) {
                tamper.setBytes(1, new String(archived, StandardCharsets.UTF_8).replace("Power", "Tower")
                        .getBytes(StandardCharsets.UTF_8));
                tamper.setString(2, sha256);
                tamper.executeUpdate();
                assertEquals(OptionalLong.of(last), auditLog.firstBrokenEntry());
            } finally {
                try (PreparedStatement restore = connection.prepareStatement(update)) {
                    restore.setBytes(1, archived);
                    restore.setString(2, sha256);
                    restore.executeUpdate();
                }
            }
        }
        assertTrue(auditLog.firstBrokenEntry().isEmpty());
    }

    @Test
    void anEcdsaP256SignatureIsAccepted() throws Exception {
        PartnerClient.Receipt receipt = new PartnerClient(edge, "vn-nsw").submit(PartnerDocuments.sign(
                PartnerDocuments.fresh("CargoPreDeclaration"), TestPki.keystore("ecdsa"), "ecdsa"));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
    }

    @Test
    void twinCopiesArrivingTogetherAreQueuedOnceAndGetTheSameReceipt() throws Exception {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        String messageId = PartnerDocuments.headerValue(document, "MessageId");
        byte[] signed = PartnerDocuments.sign(document, "vn-nsw");
        long before = embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration");
        ExecutorService twins = Executors.newFixedThreadPool(4);
        try {
            List<Future<PartnerClient.Receipt>> receipts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                receipts.add(twins.submit(() -> new PartnerClient(edge, "vn-nsw").submit(signed)));
            }
            byte[] first = receipts.get(0).get().signedReceipt();
            for (Future<PartnerClient.Receipt> receipt : receipts) {
                assertEquals("ACCEPTED", receipt.get().verdict(), receipt.get()::toString);
                assertArrayEquals(first, receipt.get().signedReceipt());
            }
        } finally {
            twins.shutdownNow();
        }
        assertEquals(before + 1, embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration"));
    }

    @Test
    void theAdmissionKeepsTheReceiptAndTheQueuedMessagesAreMarkedAcceptedABatchATransaction() throws Exception {
        camel.getRouteController().stopRoute("edge-ledger-marks");
        try {
            ledger.markAccepted();
            PartnerClient nsw = new PartnerClient(edge, "vn-nsw");
            List<String> messageIds = new ArrayList<>();
            List<byte[]> receipts = new ArrayList<>();
            byte[] firstSigned = null;
            for (int i = 0; i < 3; i++) {
                Document document = PartnerDocuments.fresh("CargoPreDeclaration");
                messageIds.add(PartnerDocuments.headerValue(document, "MessageId"));
                byte[] signed = PartnerDocuments.sign(document, "vn-nsw");
                firstSigned = firstSigned == null ? signed : firstSigned;
                PartnerClient.Receipt receipt = nsw.submit(signed);
                assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
                receipts.add(receipt.signedReceipt());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("RECEIVED", ledgerState(messageIds.get(i)), "not marked before the batch");
                byte[] kept = ledger.find(messageIds.get(i)).orElseThrow().receipt();
                assertArrayEquals(receipts.get(i), Arrays.copyOfRange(kept, SoapEnvelope.afterXmlDeclaration(kept),
                        kept.length), "the receipt is kept with the admission");
            }
            long before = embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration");
            assertArrayEquals(receipts.get(0), nsw.submit(firstSigned).signedReceipt(),
                    "a repeat before the mark gets the first receipt");
            assertEquals(before, embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration"), "and is not queued again");

            assertEquals(3, ledger.markAccepted(), "one batch marks all three");

            for (String messageId : messageIds) {
                assertEquals("ACCEPTED", ledgerState(messageId));
            }
            assertEquals(0, ledger.markAccepted(), "nothing is marked twice");
        } finally {
            camel.getRouteController().startRoute("edge-ledger-marks");
        }
    }

    @Test
    void aRepeatOfAMessageWhoseMarkACrashLostIsQueuedAgainAndGetsTheKeptReceiptWithoutWaiting() throws Exception {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        String messageId = PartnerDocuments.headerValue(document, "MessageId");
        byte[] signed = PartnerDocuments.sign(document, "vn-nsw");
        PartnerClient nsw = new PartnerClient(edge, "vn-nsw");
        // as if an instance had admitted it a minute ago with its receipt and died before the mark
        // (whether before or after its queue, this instance cannot tell)
        byte[] keptReceipt = nsw.submit(PartnerDocuments.signed("CargoPreDeclaration")).signedReceipt();
        ledgerRow(messageId, signed, "RECEIVED", Instant.now().minus(Duration.ofMinutes(1)), keptReceipt);
        long before = embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration");
        long sent = System.nanoTime();

        PartnerClient.Receipt repeat = nsw.submit(signed);

        Duration answeredIn = Duration.ofNanos(System.nanoTime() - sent);
        assertTrue(answeredIn.compareTo(config.edge().duplicateWait()) < 0,
                "the first copy arrived long before: no wait for it (" + answeredIn + ")");
        assertArrayEquals(keptReceipt, repeat.signedReceipt(), repeat::toString);
        assertEquals(before + 1, embeddedBroker.messagesAdded("edge.in.CargoPreDeclaration"), "queued by the repeat");
        assertEquals("ACCEPTED", ledgerState(messageId));
    }

    // a pre-declaration's ledger row as an earlier admission would have left it
    private void ledgerRow(String messageId, byte[] signed, String state, Instant receivedAt, byte[] receipt) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO inbound_message (message_id,"
                        + " document_sha256, message_type, sender, state, received_at, receipt)"
                        + " VALUES (?, ?, 'CargoPreDeclaration', 'VN-NSW', ?, ?, ?)")) {
            insert.setString(1, messageId);
            insert.setString(2, HostileXmlGuard.sha256(
                    Arrays.copyOfRange(signed, SoapEnvelope.afterXmlDeclaration(signed), signed.length)));
            insert.setString(3, state);
            insert.setTimestamp(4, Timestamp.from(receivedAt));
            insert.setBytes(5, receipt);
            insert.executeUpdate();
        }
    }

    private String ledgerState(String messageId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT state FROM inbound_message WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), messageId);
                return row.getString(1);
            }
        }
    }
}
