package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import vn.huunghi.hub.ops.StubPartnerServer;

/**
 * Survival of outages, in the production shape (a broker and a database of their own, partners
 * over HTTPS): while pre-declarations keep arriving, the partners are down for two minutes, the
 * database restarts, and the broker restarts. Nothing accepted is lost, nothing is doubled, and
 * the hub recovers without an operator: each declaration ends accepted, makes one cargo unit, and
 * each partner receives each of its documents once by messageId, with no dead letter. It mostly
 * waits, so it runs beside the other ITs, which run one at a time (pom.xml, failsafe).
 */
@Execution(ExecutionMode.CONCURRENT)
class HubOutageIT {

    private static final int DECLARATIONS = 150;

    private final Path root = Path.of("target", "outage-it").toAbsolutePath();
    private final int partnersPort = HubProcess.freePort();
    private StandaloneServices services;
    private StubPartnerServer partners;
    private HubProcess hub;

    @BeforeEach
    void startInfrastructure() throws Exception {
        HubProcess.deleteRecursively(root);
        services = new StandaloneServices(root);
        partners = new StubPartnerServer(PartnerDocuments.DEV_KEYS, partnersPort);
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
        services.stopDatabase();
        Thread.sleep(10_000);
        services.startDatabase();
        Thread.sleep(30_000);
        services.stopBroker();
        Thread.sleep(10_000);
        services.startBroker();
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

        assertEquals(DECLARATIONS, services.count("SELECT COUNT(*) FROM cargo_unit"));
        assertEquals(DECLARATIONS, services.count("SELECT COUNT(DISTINCT declaration_reference) FROM cargo_unit"));
        assertEquals(0, services.count("SELECT COUNT(*) FROM dead_letter"));
        assertEquals(0, services.count("SELECT COUNT(*) FROM outbox_message WHERE relayed_at IS NULL"));
        assertEquals(0, services.count("SELECT COUNT(*) FROM outbox_unrelayed"));
        // a partner sees a messageId again only for a delivery on the wire when the database or the
        // broker went away (it answers with its first receipt, and counts nothing twice)
        assertTrue(partners.repeats() <= 2 * HubCrashUnderLoadIT.DELIVERIES_IN_FLIGHT,
                partners.repeats() + " deliveries were sent again");
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
        return services.deliveringHubProperties(root.resolve("hub"), partners.endpointSettings());
    }
}
