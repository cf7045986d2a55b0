package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * A database outage longer than the broker's redelivery and than the outbox's: the workflow holds
 * each message it was handed until the database answers again and then applies it, where the
 * broker alone would have parked it in DLQ for an operator; a delivery whose receipt came back
 * during the outage is tried again (from keeping its receipt), past its last allowed attempt, until
 * the receipt can be kept.
 * The broker here gives up after three delivery attempts and the outbox after two redeliveries
 * (seconds; docs/deployment.md's ten and the outbox's twenty take minutes), so the outage outlasts both.
 * Meanwhile the edge answers HUB_UNAVAILABLE at once, readiness is down, and the log stays readable.
 */
class LongDatabaseOutageIT {

    private static final int DECLARATIONS = 12;
    private static final int BROKER_DELIVERY_ATTEMPTS = 3;
    private static final int OUTBOX_REDELIVERIES = 2;
    private static final int REFUSED_WHILE_AWAY = 5;

    private final Path root = Path.of("target", "long-database-outage-it").toAbsolutePath();
    private StandaloneServices services;
    private StubPartnerServer partners;
    private HubProcess hub;

    @BeforeEach
    void startInfrastructure() throws Exception {
        HubProcess.deleteRecursively(root);
        services = new StandaloneServices(root, BROKER_DELIVERY_ATTEMPTS);
        partners = new StubPartnerServer(PartnerDocuments.DEV_KEYS, HubProcess.freePort());
    }

    @AfterEach
    void stopAll() throws Exception {
        if (hub != null) {
            hub.close();
        }
        partners.close();
        services.close();
    }

    @Test
    void queuedDeclarationsAndADeliveryOnTheWireWaitOutADatabaseOutageAndAreAppliedAndDeliveredOnce() throws Exception {
        hub = HubProcess.start("long-database-outage", hubProperties());
        // customs holds its answer to the first view until the database is down: the hub gets the
        // receipt when it cannot keep it, and cannot keep a dead letter either
        CountDownLatch outageBegun = new CountDownLatch(1);
        CountDownLatch viewOnTheWire = new CountDownLatch(1);
        partners.onDelivery((party, document) -> {
            if ("VN-CUSTOMS".equals(party) && viewOnTheWire.getCount() > 0) {
                viewOnTheWire.countDown();
                try {
                    outageBegun.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        PartnerClient nsw = new PartnerClient(hub.url("/soap/edge"), "vn-nsw");
        PartnerClient.Receipt receipt = nsw.submit(PartnerDocuments.sign(TestCargo.of("CargoPreDeclaration-ic-import").document(), "vn-nsw"));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
        assertTrue(viewOnTheWire.await(30, TimeUnit.SECONDS), "the first view did not reach customs");

        int logLinesBefore = logLines().size();
        services.stopDatabase();
        long outageEnds = System.currentTimeMillis() + 20_000;
        outageBegun.countDown();
        // The edge refuses while the database is away, so these stand for what it accepted just before:
        // queued the way it queues (QueueHandover), for the workflow to find when it next consumes.
        queueDeclarations(DECLARATIONS);
        // what partners and operators see meanwhile (docs/operations.md): once the hub knows the
        // database is away, the edge refuses at once, not after the pool's acquisition timeout each
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> databaseAway(hub.metrics()) == 1);
        for (int i = 0; i < REFUSED_WHILE_AWAY; i++) {
            PartnerClient.Receipt refused = nsw.submit(PartnerDocuments.sign(TestCargo.of("CargoPreDeclaration-ic-import").document(), "vn-nsw"));
            assertEquals(List.of(RejectionCode.HUB_UNAVAILABLE.name()), refused.errorCodes(), refused::toString);
            assertTrue(refused.value("Text").contains("database does not answer"), refused::toString);
        }
        assertFalse(hub.ready(), "ready while the database is away");
        Thread.sleep(Math.max(0, outageEnds - System.currentTimeMillis()));
        String metrics = hub.metrics();
        assertTrue(exported(metrics, "hub_workflow_database_waits_total", "workflow-pre-declarations"), metrics);
        assertTrue(exported(metrics, "hub_database_poll_failures_total", "audit-chain"), metrics);
        assertEquals(0, services.deadLetterQueueDepth(), "messages parked in the broker's DLQ during the outage");
        // the polls that fail several times a second report once a minute (routes/database-polls.yaml):
        // without that, about 2,000 lines of stack traces in these 20 s
        List<String> log = logLines();
        List<String> logged = log.subList(logLinesBefore, log.size());
        assertTrue(logged.size() < 300, logged.size() + " lines logged during the outage");
        // one report a minute per polling route (the weighbridges' stops when the leader's lease lapses)
        assertEquals(1, reports(logged, "audit-chain"));
        assertEquals(1, reports(logged, "outbox-relay"));
        assertTrue(reports(logged, "equipment-scales") <= 1);
        assertEquals(0, logged.stream().filter(line -> line.contains("ERROR [vn.huunghi.hub.edge")).count(),
                "the edge logged errors for an outage it knew of");
        services.startDatabase();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> databaseAway(hub.metrics()) == 0);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> services.count("SELECT COUNT(*) FROM cargo_unit") == DECLARATIONS + 1
                        && partners.received("VN-CUSTOMS").size() == DECLARATIONS + 1);
        Thread.sleep(3_000); // anything doubled would arrive now
        assertEquals(DECLARATIONS + 1, services.count("SELECT COUNT(DISTINCT declaration_reference) FROM cargo_unit"));
        assertEquals(DECLARATIONS + 1, services.count("SELECT COUNT(*) FROM processed_message WHERE outcome = 'APPLIED'"));
        assertEquals(DECLARATIONS + 1, partners.received("VN-CUSTOMS").size(), "one view per cargo unit to customs");
        assertEquals(0, services.deadLetterQueueDepth());
        assertEquals(0, services.count("SELECT COUNT(*) FROM dead_letter"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> services.count("SELECT COUNT(*) FROM outbox_message WHERE settled_at IS NULL") == 0);
        assertTrue(partners.problems().isEmpty(), partners.problems().toString());
        PartnerClient.Receipt afterwards = nsw.submit(PartnerDocuments.sign(TestCargo.of("CargoPreDeclaration-ic-import").document(), "vn-nsw"));
        assertEquals("ACCEPTED", afterwards.verdict(), "the edge accepts again once the database answers: " + afterwards);
    }

    private static boolean exported(String metrics, String series, String route) {
        return metrics.lines().anyMatch(line -> line.startsWith(series + "{") && line.contains("route=\"" + route + "\""));
    }

    private static double databaseAway(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("hub_database_away ")).mapToDouble(
                line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    private static List<String> logLines() throws Exception {
        return Files.readAllLines(Path.of("target", "long-database-outage-hub.log"), StandardCharsets.ISO_8859_1);
    }

    private static long reports(List<String> log, String route) {
        return log.stream().filter(line -> line.contains("[vn.huunghi.hub.DatabasePollFailures]")
                && line.contains("route " + route + ":")).count();
    }

    private void queueDeclarations(int count) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(services.brokerUrl());
                Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("edge.in.CargoPreDeclaration"));
            for (int i = 0; i < count; i++) {
                TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(PartnerDocuments.sign(cargo.document(), "vn-nsw"));
                message.setStringProperty(QueueHandover.MESSAGE_ID, cargo.messageId());
                message.setStringProperty(QueueHandover.MESSAGE_TYPE, "CargoPreDeclaration");
                message.setStringProperty(QueueHandover.SENDER, "VN-NSW");
                message.setStringProperty(QueueHandover.ARTEMIS_DUPLICATE_ID, cargo.messageId());
                producer.send(message);
            }
        }
    }

    private List<String> hubProperties() {
        return services.deliveringHubProperties(root.resolve("hub"), partners.endpointSettings(),
                "-Dhub.outbox.max-redeliveries=" + OUTBOX_REDELIVERIES, "-Dhub.outbox.initial-delay-millis=200",
                "-Dhub.outbox.max-delay-millis=2000",
                // each attempt during the outage fails after a second, not the pool's default five
                "-Dquarkus.datasource.jdbc.acquisition-timeout=1S");
    }
}
