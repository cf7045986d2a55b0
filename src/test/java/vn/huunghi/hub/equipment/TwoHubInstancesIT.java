package vn.huunghi.hub.equipment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.edge.HubProcess;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestMessages;

/**
 * Two packaged hub instances in the production shape: one standalone broker, one database
 * server, one PLC, all run by this test. Both get the same plate read; the barrier is commanded
 * once. Then the leader is killed and the other instance takes over the barriers.
 */
class TwoHubInstancesIT {

    private static final int COIL = 0; // coil:1
    private static final long DECLARED_KG = 4860; // CargoPreDeclaration-ic-import

    private final Path root = Path.of("target", "two-hubs-it").toAbsolutePath();
    private final int brokerPort = HubProcess.freePort();
    private final int mqttPort = HubProcess.freePort();
    private final int databasePort = HubProcess.freePort();
    private final int plcPort = HubProcess.freePort();
    private EmbeddedActiveMQ broker;
    private Server database;
    private TestPlc plc;
    private final List<HubProcess> hubs = new ArrayList<>();

    @BeforeEach
    void startInfrastructure() throws Exception {
        HubProcess.deleteRecursively(root);
        Configuration configuration = new ConfigurationImpl().setPersistenceEnabled(false).setSecurityEnabled(false)
                .setJMXManagementEnabled(false);
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE");
        configuration.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT");
        broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        database = Server.createTcpServer("-tcpPort", Integer.toString(databasePort), "-baseDir",
                root.resolve("db").toString(), "-ifNotExists").start();
        plc = new TestPlc(plcPort).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (HubProcess hub : hubs) {
            hub.close();
        }
        plc.close();
        database.stop();
        broker.stop();
    }

    @Test
    void eachBarrierCommandIsWrittenOnceAndTheOtherInstanceTakesOverWhenTheLeaderDies() throws Exception {
        HubProcess alpha = start("alpha");
        HubProcess beta = start("beta");

        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        submit(alpha, cargo.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(20)).until(() -> state(cargo) != null);
        plc.scale(DECLARED_KG, false, true, false);
        assertEquals(202, new EquipmentClient(beta.url("/equipment"), "equipment-gateway")
                .plateRead("ENTRY-2", cargo.plate(), "CN", 0.97).status());
        await().atMost(Duration.ofSeconds(20)).until(() -> "AWAITING_CONFIRMATIONS".equals(state(cargo)));
        plc.scale(0, false, false, false);
        String unit = unitId(cargo);
        submit(beta, TestMessages.confirmation(unit, cargo.reference(), "VN-CUSTOMS", "APPROVED"), "vn-customs");
        submit(alpha, TestMessages.confirmation(unit, cargo.reference(), "VN-BORDER-GUARD", "APPROVED"), "vn-border-guard");
        await().atMost(Duration.ofSeconds(20)).until(() -> "RELEASED".equals(state(cargo)));

        // the camera's read reaches both instances (a retry after a timeout, a second camera feed)
        String read = plateRead(UUID.randomUUID(), cargo.plate());
        CompletableFuture<EquipmentClient.Answer> toAlpha = CompletableFuture.supplyAsync(() -> camera(alpha).post("anpr-reads", read));
        CompletableFuture<EquipmentClient.Answer> toBeta = CompletableFuture.supplyAsync(() -> camera(beta).post("anpr-reads", read));
        assertEquals(202, toAlpha.get().status());
        assertEquals(202, toBeta.get().status());

        await().atMost(Duration.ofSeconds(20)).until(() -> plc.coil(COIL));
        await().atMost(Duration.ofSeconds(20)).until(() -> !plc.coil(COIL)); // the CLOSE after 3 s
        Thread.sleep(2000);
        assertEquals(2, plc.coilWrites(COIL), "one OPEN and one CLOSE, each written once");
        // only the leaders touched the PLC: the other instance neither polled the scale nor commanded the barrier
        HubProcess scalesFollower = leaderOf("gate-scales").equals("alpha") ? beta : alpha;
        HubProcess barriersFollower = leaderOf("gate-barriers").equals("alpha") ? beta : alpha;
        HubProcess scalesLeader = scalesFollower == alpha ? beta : alpha;
        HubProcess barriersLeader = barriersFollower == alpha ? beta : alpha;
        assertTrue(scalesLeader.metrics().contains("hub_equipment_plc_reads_total{device=\"SCALE-ENTRY-2\""));
        assertTrue(barriersLeader.metrics().contains("hub_equipment_barrier_commands_total"));
        assertFalse(scalesFollower.metrics().contains("hub_equipment_plc_reads_total{device=\"SCALE-ENTRY-2\""));
        assertFalse(barriersFollower.metrics().contains("hub_equipment_barrier_commands_total"));

        // the leader of the barriers dies without a word; the other instance takes its lease over
        HubProcess leader = leaderOf("gate-barriers").equals("alpha") ? alpha : beta;
        HubProcess survivor = leader == alpha ? beta : alpha;
        leader.kill();
        hubs.remove(leader);
        assertEquals(202, camera(survivor).post("anpr-reads", plateRead(UUID.randomUUID(), cargo.plate())).status());
        await().atMost(Duration.ofSeconds(30)).until(() -> plc.coil(COIL));
        assertEquals(3, plc.coilWrites(COIL));
    }

    private HubProcess start(String name) throws Exception {
        HubProcess hub = HubProcess.start("two-hubs-" + name, List.of(
                "-Dhub.data-dir=" + root.resolve(name),
                "-Dhub.cluster.instance-id=" + name,
                "-Dhub.cluster.renew-interval=300ms",
                "-Dhub.cluster.lease-duration=3s",
                "-Dhub.broker.embedded=false",
                "-Dhub.broker.url=tcp://127.0.0.1:" + brokerPort,
                "-Dhub.equipment.mqtt-broker-url=tcp://127.0.0.1:" + mqttPort,
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl(),
                "-Dhub.equipment.lanes.ENTRY-2.plc=modbus-tcp://127.0.0.1:" + plcPort,
                "-Dhub.equipment.lanes.ENTRY-2.barrier-coil=coil:1",
                "-Dhub.equipment.lanes.ENTRY-2.scale-gross-weight=holding-register:1:UDINT",
                "-Dhub.equipment.lanes.ENTRY-2.scale-status=holding-register:3:UINT",
                "-Dhub.equipment.barrier-open-time=3s"));
        hubs.add(hub);
        return hub;
    }

    private String jdbcUrl() {
        return "jdbc:h2:tcp://127.0.0.1:" + databasePort + "/hub";
    }

    private static EquipmentClient camera(HubProcess hub) {
        try {
            return new EquipmentClient(hub.url("/equipment"), "equipment-gateway");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String plateRead(UUID eventId, String plate) {
        return """
                {"eventId": "%s", "lane": "ENTRY-2", "camera": "ANPR-ENTRY-2-FRONT", "plate": "%s", "nationality": "CN",
                 "confidence": 0.97, "readAt": "%s", "imageReference": "https://anpr.huunghi-gate.local/images/ENTRY-2/it.jpg"}"""
                .formatted(eventId, plate, OffsetDateTime.now(ZoneOffset.UTC));
    }

    private static void submit(HubProcess hub, Document document, String party) throws Exception {
        PartnerClient.Receipt receipt = new PartnerClient(hub.url("/soap/edge"), party)
                .submit(PartnerDocuments.sign(document, party));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
    }

    private String state(TestCargo cargo) throws Exception {
        return value("SELECT state FROM cargo_unit WHERE declaration_reference = ?", cargo.reference());
    }

    private String unitId(TestCargo cargo) throws Exception {
        return value("SELECT id FROM cargo_unit WHERE declaration_reference = ?", cargo.reference());
    }

    private String leaderOf(String namespace) throws Exception {
        return value("SELECT holder FROM cluster_lease WHERE namespace = ?", namespace);
    }

    private String value(String sql, String parameter) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "hub", "");
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
