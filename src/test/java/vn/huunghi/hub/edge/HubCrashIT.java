package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.File;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * message is still on its queue, once, and that the receipts survived too.
 */
class HubCrashIT {

    private final Path dataDir = Path.of("target", "crash-it-data");
    private final int httpsPort = freePort();
    private final int managementPort = freePort();
    private final int brokerPort = freePort();
    private Process hub;

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.destroy();
        }
    }

    @Test
    void messagesAcceptedJustBeforeAKillAreStillQueuedAfterRestart() throws Exception {
        deleteRecursively(dataDir);
        hub = start();
        PartnerClient nsw = new PartnerClient(new URL("https://localhost:" + httpsPort + "/soap/edge"), "vn-nsw");

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
        hub.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush

        hub = start();
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

    private Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java,
                "-Dhub.data-dir=" + dataDir,
                "-Dquarkus.http.ssl-port=" + httpsPort,
                "-Dquarkus.management.port=" + managementPort,
                "-Dhub.broker.tcp-port=" + brokerPort,
                "-Dquarkus.log.level=WARN",
                // the workflow would consume the queue; this test is about what the edge acknowledged
                "-Dhub.workflow.consume=false",
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(new File("target/crash-it-hub.log"))
                .start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(this::ready);
        return process;
    }

    private boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(
                    "http://127.0.0.1:" + managementPort + "/q/health/ready").openConnection();
            return connection.getResponseCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path root) throws Exception {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
