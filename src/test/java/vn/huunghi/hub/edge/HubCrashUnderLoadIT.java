package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * kill -9 in the middle of a 10,000-message run: the hub (its embedded broker and database with
 * it) dies at message 5,000, restarts on the same data folder, and the run finishes. Every message
 * has exactly one receipt verdict (a resend is answered with the very first receipt), none is
 * lost, and the partners receive each outbound message exactly once by messageId: one status per
 * declaration to the declarant, one view per cargo unit to customs.
 */
class HubCrashUnderLoadIT {

    static final int MESSAGES = Integer.getInteger("crash.messages", 10_000);

    private final Path dataDir = Path.of("target", "crash-under-load-it").toAbsolutePath();
    private final int partnersPort = HubProcess.freePort();
    private final int brokerPort = HubProcess.freePort();
    private final int mqttPort = HubProcess.freePort();
    private volatile HubProcess hub;
    private volatile PartnerClient nsw;
    private StubPartnerServer partners;
    private final Map<String, Set<String>> statusesByDeclaration = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        partners.close();
    }

    @Test
    void everyMessageHasOneVerdictAndEveryDeliveryHappensOnceAcrossAKill() throws Exception {
        HubProcess.deleteRecursively(dataDir);
        partners = new StubPartnerServer(PartnerDocuments.DEV_KEYS, partnersPort);
        partners.onDelivery((party, document) -> {
            if ("VN-NSW".equals(party)) {
                statusesByDeclaration.computeIfAbsent(value(document, "CorrelationId"), id -> ConcurrentHashMap.newKeySet())
                        .add(value(document, "MessageId"));
            }
        });
        start();
        Map<String, Set<String>> receiptsById = new ConcurrentHashMap<>();
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            sent.add(senders.submit(() -> {
                TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
                byte[] signed = PartnerDocuments.sign(cargo.document(), "vn-nsw");
                String receipt = new String(PartnerClient.submitUntilAnswered(() -> nsw, signed, Duration.ofMinutes(5))
                        .signedReceipt(), java.nio.charset.StandardCharsets.UTF_8);
                receiptsById.computeIfAbsent(cargo.messageId(), id -> ConcurrentHashMap.newKeySet()).add(receipt);
                accepted.incrementAndGet();
                return null;
            }));
        }
        await().atMost(Duration.ofMinutes(10)).until(() -> accepted.get() >= MESSAGES / 2);
        hub.kill(); // SIGKILL: no shutdown hook, no flush
        start();
        for (Future<?> each : sent) {
            each.get();
        }
        senders.shutdown();

        assertEquals(MESSAGES, receiptsById.size());
        for (Map.Entry<String, Set<String>> receipts : receiptsById.entrySet()) {
            assertEquals(1, receipts.getValue().size(), receipts.getKey() + " got different receipts: " + receipts.getValue());
            assertTrue(receipts.getValue().iterator().next().contains("<Verdict>ACCEPTED</Verdict>"), receipts.toString());
        }
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5))
                .until(() -> statusesByDeclaration.size() >= MESSAGES && partners.received("VN-CUSTOMS").size() >= MESSAGES);
        Thread.sleep(5_000); // a doubled delivery would arrive now
        assertEquals(receiptsById.keySet(), statusesByDeclaration.keySet(), "one declarant status per declaration");
        statusesByDeclaration.forEach((declaration, statuses) ->
                assertEquals(1, statuses.size(), declaration + " was declared twice: " + statuses));
        for (String party : StubPartnerServer.PARTIES) {
            List<String> received = partners.received(party);
            assertEquals(new HashSet<>(received).size(), received.size(), party + " received a document twice");
        }
        assertEquals(MESSAGES, partners.received("VN-CUSTOMS").size(), "one agency view per cargo unit to customs");
        assertTrue(partners.problems().isEmpty(), partners.problems().toString());
    }

    private void start() throws Exception {
        List<String> properties = new ArrayList<>(List.of("-Dhub.data-dir=" + dataDir, "-Dhub.broker.tcp-port=" + brokerPort,
                "-Dhub.broker.mqtt-port=" + mqttPort, "-Dhub.outbox.deliver=true"));
        partners.endpointSettings().forEach((key, value) -> properties.add("-D" + key + "=" + value));
        hub = HubProcess.start("crash-under-load", properties);
        nsw = new PartnerClient(hub.url("/soap/edge"), "vn-nsw");
    }

    private static String value(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
