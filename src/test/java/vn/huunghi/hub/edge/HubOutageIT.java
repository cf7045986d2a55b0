package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * Survival of outages, in the production shape (a broker and a database of their own, partners
 * over HTTPS): while pre-declarations keep arriving, the partners are down for two minutes, the
 * database restarts, and the broker restarts. Nothing accepted is lost, nothing is doubled, and
 * the hub recovers without an operator: each declaration ends accepted, makes one cargo unit, and
 * each partner receives each of its documents once by messageId, with no dead letter.
 */
class HubOutageIT {

    private static final int DECLARATIONS = 150;

    private final Path root = Path.of("target", "outage-it").toAbsolutePath();
    private final int brokerPort = HubProcess.freePort();
    private final int mqttPort = HubProcess.freePort();
    private final int databasePort = HubProcess.freePort();
    private final int partnersPort = HubProcess.freePort();
    private EmbeddedActiveMQ broker;
    private Server database;
    private StubPartnerServer partners;
    private HubProcess hub;

    @BeforeEach
    void startInfrastructure() throws Exception {
        HubProcess.deleteRecursively(root);
        broker = startBroker();
        database = startDatabase();
        partners = new StubPartnerServer(PartnerDocuments.DEV_KEYS, partnersPort);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (hub != null) {
            hub.close();
        }
        partners.close();
        database.stop();
        broker.stop();
    }

    @Test
    void partnersDownForTwoMinutesADatabaseRestartAndABrokerRestartLoseNothingAndDoubleNothing() throws Exception {
        hub = HubProcess.start("outage", hubProperties());
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<String>> verdicts = new ArrayList<>();
        List<TestCargo> cargo = Collections.synchronizedList(new ArrayList<>());
        PartnerClient nsw = new PartnerClient(hub.url("/soap/edge"), "vn-nsw");
        for (int i = 0; i < DECLARATIONS; i++) {
            TestCargo unit = TestCargo.of(i % 2 == 0 ? "CargoPreDeclaration-dragon-fruit-export" : "CargoPreDeclaration-ic-import");
            cargo.add(unit);
            byte[] signed = PartnerDocuments.sign(unit.document(), "vn-nsw");
            long sendAt = System.currentTimeMillis() + i * 1000L; // one a second for 150 s, through every outage
            verdicts.add(senders.submit(() -> {
                Thread.sleep(Math.max(0, sendAt - System.currentTimeMillis()));
                PartnerClient.Receipt receipt = PartnerClient.submitUntilAnswered(() -> nsw, signed, Duration.ofMinutes(5));
                return receipt.verdict() + (receipt.errorCodes().isEmpty() ? "" : " " + receipt.errorCodes());
            }));
        }

        Thread.sleep(5_000);
        takePartnersDown();
        Thread.sleep(25_000);
        database.stop(); // every connection the hub holds is cut
        Thread.sleep(10_000);
        database = startDatabase();
        Thread.sleep(30_000);
        broker.stop();
        Thread.sleep(10_000);
        broker = startBroker();
        Thread.sleep(50_000);
        bringPartnersBack(); // 2 minutes and 5 s after they went down

        for (Future<String> verdict : verdicts) {
            assertEquals("ACCEPTED", verdict.get());
        }
        senders.shutdown();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> received("VN-NSW").size() >= DECLARATIONS && received("VN-CUSTOMS").size() >= DECLARATIONS
                        && received("CN-NANNING-CUSTOMS").size() >= DECLARATIONS / 2);
        Thread.sleep(5_000); // anything doubled would arrive now

        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "hub", "")) {
            assertEquals(DECLARATIONS, count(connection, "SELECT COUNT(*) FROM cargo_unit"));
            assertEquals(DECLARATIONS, count(connection, "SELECT COUNT(DISTINCT declaration_reference) FROM cargo_unit"));
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM dead_letter"));
            assertEquals(0, count(connection, "SELECT COUNT(*) FROM outbox_message WHERE relayed_at IS NULL"));
        }
        for (String party : StubPartnerServer.PARTIES) {
            List<String> received = received(party);
            assertEquals(new HashSet<>(received).size(), received.size(), party + " received a document twice: " + received);
        }
        assertEquals(DECLARATIONS, received("VN-NSW").size(), "one status per declaration to the declarant");
        assertEquals(DECLARATIONS, received("VN-CUSTOMS").size(), "one view per cargo unit to customs");
        assertEquals(DECLARATIONS / 2, received("CN-NANNING-CUSTOMS").size(), "each export's data once to Nanning");
        assertTrue(partners.problems().isEmpty(), partners.problems().toString());
    }

    private void takePartnersDown() {
        partners.close(); // connection refused, as a partner that is down
    }

    private void bringPartnersBack() throws Exception {
        partners = StubPartnerServer.resume(partners, partnersPort);
    }

    private List<String> received(String party) {
        return partners.received(party);
    }

    private List<String> hubProperties() {
        List<String> properties = new ArrayList<>(List.of(
                "-Dhub.data-dir=" + root.resolve("hub"),
                "-Dhub.broker.embedded=false",
                "-Dhub.broker.url=tcp://127.0.0.1:" + brokerPort,
                "-Dhub.equipment.mqtt-broker-url=tcp://127.0.0.1:" + mqttPort,
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl(),
                "-Dhub.outbox.deliver=true"));
        partners.endpointSettings().forEach((key, value) -> properties.add("-D" + key + "=" + value));
        return properties;
    }

    /** A standalone broker as deployments run it: persistent, with the redelivery settings docs/deployment.md gives. */
    private EmbeddedActiveMQ startBroker() throws Exception {
        Configuration configuration = new ConfigurationImpl().setPersistenceEnabled(true).setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalDirectory(root.resolve("broker/journal").toString())
                .setBindingsDirectory(root.resolve("broker/bindings").toString())
                .setLargeMessagesDirectory(root.resolve("broker/large").toString())
                .setPagingDirectory(root.resolve("broker/paging").toString());
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE");
        configuration.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT");
        configuration.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ")).setAutoCreateDeadLetterResources(true)
                .setMaxDeliveryAttempts(10).setRedeliveryDelay(500).setRedeliveryMultiplier(2.0).setMaxRedeliveryDelay(30_000));
        EmbeddedActiveMQ started = new EmbeddedActiveMQ().setConfiguration(configuration);
        started.start();
        return started;
    }

    private Server startDatabase() throws Exception {
        return Server.createTcpServer("-tcpPort", Integer.toString(databasePort), "-baseDir",
                root.resolve("db").toString(), "-ifNotExists").start();
    }

    private String jdbcUrl() {
        return "jdbc:h2:tcp://127.0.0.1:" + databasePort + "/hub";
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
