package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Runs the packaged hub as its own process, kills it with SIGKILL right after it acknowledged a
 * burst of messages, restarts it on the same data folder and checks that every acknowledged
 * message is still on its queue, once, and that the receipts survived too; and stops it gracefully,
 * after which its ledger holds every message it accepted as ACCEPTED.
 */
class HubCrashIT {

    // absolute, as an operator gives it (HUB_DATA_DIR=/var/lib/hub): database and broker journal both under it
    private final Path dataDir = Path.of("target", "crash-it-data").toAbsolutePath();
    private final int brokerPort = HubProcess.freePort();
    private HubProcess hub;

    @AfterEach
    void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void messagesAcceptedJustBeforeAKillAreStillQueuedAfterRestart() throws Exception {
        HubProcess.deleteRecursively(dataDir);
        hub = start();
        PartnerClient nsw = new PartnerClient(hub.url("/soap/edge"), "vn-nsw");

        List<String> messageIds = new ArrayList<>();
        List<byte[]> documents = new ArrayList<>();
        List<byte[]> receipts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Document document = PartnerDocuments.fresh("CargoPreDeclaration");
            messageIds.add(PartnerDocuments.headerValue(document, "MessageId"));
            documents.add(PartnerDocuments.sign(document, "vn-nsw"));
            PartnerClient.Receipt receipt = nsw.submit(documents.get(i));
            assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
            receipts.add(receipt.signedReceipt());
        }
        assertTrue(Files.exists(dataDir.resolve("db").resolve("hub.mv.db")), "the database is not in " + dataDir);
        assertTrue(Files.isDirectory(dataDir.resolve("broker")), "the broker's journal is not in " + dataDir);
        hub.kill(); // SIGKILL: no shutdown hook, no flush

        hub = start();
        nsw = new PartnerClient(hub.url("/soap/edge"), "vn-nsw");
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
                Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String messageId : messageIds) {
                QueueBrowser browser = session.createBrowser(session.createQueue("edge.in.CargoPreDeclaration"),
                        QueueHandover.MESSAGE_ID + " = '" + messageId + "'");
                assertEquals(1, Collections.list(browser.getEnumeration()).size(), messageId);
            }
        }
        // the idempotency ledger survived as well: a resend gets the receipt given before the kill
        assertArrayEquals(receipts.get(19), nsw.submit(documents.get(19)).signedReceipt());
    }

    @Test
    void aGracefulStopMarksEveryQueuedMessageAcceptedInTheLedger() throws Exception {
        HubProcess.deleteRecursively(dataDir);
        // the ledger's batch of marks runs once, a second after the start, then not for ten minutes: only the stop can mark
        hub = start("-Dhub.edge.ledger-mark-period-millis=600000");
        Thread.sleep(1_500);
        PartnerClient nsw = new PartnerClient(hub.url("/soap/edge"), "vn-nsw");
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Document document = PartnerDocuments.fresh("CargoPreDeclaration");
            messageIds.add(PartnerDocuments.headerValue(document, "MessageId"));
            assertEquals("ACCEPTED", nsw.submit(PartnerDocuments.sign(document, "vn-nsw")).verdict());
        }
        hub.close(); // SIGTERM: a graceful stop
        hub = null;

        try (java.sql.Connection database = DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.resolve("db").resolve("hub"), "hub", "");
                PreparedStatement select = database.prepareStatement("SELECT state FROM inbound_message WHERE message_id = ?")) {
            for (String messageId : messageIds) {
                select.setString(1, messageId);
                try (ResultSet row = select.executeQuery()) {
                    assertTrue(row.next(), messageId + " is not in the ledger");
                    assertEquals("ACCEPTED", row.getString(1), messageId);
                }
            }
        }
    }

    private HubProcess start(String... more) throws Exception {
        List<String> properties = new ArrayList<>(List.of(
                "-Dhub.data-dir=" + dataDir,
                "-Dhub.broker.tcp-port=" + brokerPort,
                // the workflow would consume the queue; this test is about what the edge acknowledged
                "-Dhub.workflow.consume=false"));
        properties.addAll(List.of(more));
        return HubProcess.start("crash-it", properties);
    }
}
