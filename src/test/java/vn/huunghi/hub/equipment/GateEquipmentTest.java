package vn.huunghi.hub.equipment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestMessages;
import vn.huunghi.hub.workflow.CargoUnitQueries;
import vn.huunghi.hub.workflow.CargoUnitWorkflow;
import vn.huunghi.hub.workflow.WorkflowOutcome;

/**
 * The gate's devices against the real edge and a real Modbus TCP server standing in for the PLC
 * of lanes ENTRY-2 (barrier command coil:1, weighbridge indicator at holding-register:1 and :3)
 * and EXIT-2 (barrier command coil:2).
 */
@QuarkusTest
class GateEquipmentTest {

    private static final String LANE = "ENTRY-2";
    private static final int BARRIER_COIL = 0; // coil:1
    private static final String EXIT_LANE = "EXIT-2";
    private static final int EXIT_BARRIER_COIL = 1; // coil:2
    private static final long DECLARED_KG = 4860; // CargoPreDeclaration-ic-import

    private static TestPlc plc;

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @TestHTTPResource(value = "/equipment", tls = true)
    URL equipment;

    @Inject
    CargoUnitQueries queries;

    @Inject
    EquipmentAlarms alarms;

    @Inject
    BarrierCommands barriers;

    @Inject
    CargoUnitWorkflow workflow;

    @BeforeAll
    static void startPlc() throws Exception {
        plc = new TestPlc(TestPlc.PORT).start();
    }

    @AfterAll
    static void stopPlc() throws Exception {
        plc.close();
    }

    @BeforeEach
    void emptyScale() {
        plc.scale(0, false, false, false);
    }

    @Test
    void aReleasedCargoUnitWithAMatchingPlateReadOpensTheBarrierAndItClosesAfterTheOpenTime() {
        TestCargo cargo = released(DECLARED_KG);
        int writesBefore = plc.coilWrites(BARRIER_COIL);

        assertEquals(202, camera().plateRead(LANE, cargo.plate(), "CN", 0.97).status());

        await().atMost(Duration.ofSeconds(10)).until(() -> plc.coil(BARRIER_COIL));
        assertEquals(writesBefore + 1, plc.coilWrites(BARRIER_COIL), "the OPEN is written once");
        await().atMost(Duration.ofSeconds(5)).until(() -> "OPEN".equals(barriers.state(LANE)));
        // hub.equipment.barrier-open-time is 3 s in tests: the scheduled CLOSE lowers it again
        await().atMost(Duration.ofSeconds(15)).until(() -> !plc.coil(BARRIER_COIL));
        await().atMost(Duration.ofSeconds(5)).until(() -> "CLOSED".equals(barriers.state(LANE)));
    }

    @Test
    void anUnreleasedCargoUnitOrAWrongPlateDoesNotOpenTheBarrier() throws Exception {
        TestCargo arrived = declared();
        assertEquals(202, camera().plateRead(LANE, arrived.plate(), "CN", 0.97).status()); // arrival
        await().atMost(Duration.ofSeconds(5)).until(() -> state(arrived).equals("ARRIVED"));
        int writesBefore = plc.coilWrites(BARRIER_COIL);

        EquipmentClient.Answer unreleased = camera().plateRead(LANE, arrived.plate(), "CN", 0.97);
        assertTrue(unreleased.body().contains("BARRIER_NOT_ALLOWED"), unreleased.body());
        EquipmentClient.Answer wrongPlate = camera().plateRead(LANE, "桂F00000", "CN", 0.97);
        assertTrue(wrongPlate.body().contains("PLATE_UNKNOWN"), wrongPlate.body());
        EquipmentClient.Answer unsure = camera().plateRead(LANE, arrived.plate(), "CN", 0.41);
        assertTrue(unsure.body().contains("PLATE_READ_UNCERTAIN"), unsure.body());

        Thread.sleep(1500); // long enough for a command to have reached the PLC, had one been issued
        assertEquals(writesBefore, plc.coilWrites(BARRIER_COIL));
        assertFalse(plc.coil(BARRIER_COIL));
        assertTrue(alarms.of("ANPR-" + LANE + "-FRONT").stream().anyMatch(a -> a.kind().equals("PLATE_UNKNOWN")));
        assertTrue(alarms.of("ANPR-" + LANE + "-FRONT").stream().anyMatch(a -> a.kind().equals("PLATE_READ_UNCERTAIN")));
    }

    @Test
    void theExitBarrierOpenedForAReleasedCargoUnitRecordsItsExitAndItsPlateOpensNoBarrierAfterwards()
            throws Exception {
        TestCargo cargo = released(DECLARED_KG);
        String unit = unitId(cargo);
        int exitWritesBefore = plc.coilWrites(EXIT_BARRIER_COIL);

        assertEquals(202, camera().plateRead(EXIT_LANE, cargo.plate(), "CN", 0.97).status());

        await().atMost(Duration.ofSeconds(10)).until(() -> state(cargo).equals("EXITED"));
        assertEquals(exitWritesBefore + 1, plc.coilWrites(EXIT_BARRIER_COIL), "the exit's OPEN is written once");
        assertTrue(queries.timeline(unit).stream().anyMatch(e -> "EXITED".equals(e.toState())
                && e.detail().contains(EXIT_LANE)), "the exit is on the timeline");
        assertTrue(queries.outboundDocuments(unit, "VN-NSW").stream().anyMatch(document -> new String(document,
                java.nio.charset.StandardCharsets.UTF_8).contains(">EXITED<")), "the declarant is told");
        await().atMost(Duration.ofSeconds(15)).until(() -> !plc.coil(EXIT_BARRIER_COIL)); // the scheduled CLOSE

        // the same truck seen again at the gate: its released cargo unit has left and opens nothing
        int entryWritesBefore = plc.coilWrites(BARRIER_COIL);
        EquipmentClient.Answer again = camera().plateRead(LANE, cargo.plate(), "CN", 0.97);
        assertTrue(again.body().contains("PLATE_UNKNOWN"), again.body());
        Thread.sleep(1500); // long enough for a command to have reached the PLC, had one been issued
        assertEquals(entryWritesBefore, plc.coilWrites(BARRIER_COIL));
        assertFalse(plc.coil(BARRIER_COIL));
    }

    @Test
    void anExitBarrierOpenedForACargoUnitNotReleasedRaisesTheAlarmAndLeavesItsState() {
        TestCargo cargo = declared();
        String unit = unitId(cargo);

        WorkflowOutcome outcome = workflow.recordExit(java.util.UUID.randomUUID().toString(), unit, EXIT_LANE);

        assertEquals(WorkflowOutcome.RELEASE_NOT_ALLOWED_IN_STATE, outcome);
        assertEquals("DECLARED", state(cargo));
        assertTrue(alarms.of("BARRIER-" + EXIT_LANE).stream()
                .anyMatch(a -> a.kind().equals("EXIT_NOT_RELEASED") && unit.equals(a.cargoUnitId())));
    }

    @Test
    void aPlcThatStopsAnsweringLeavesTheBarrierClosedAndRaisesTheAlarm() throws Exception {
        TestCargo cargo = released(DECLARED_KG);
        String unit = unitId(cargo);
        plc.stop();
        try {
            assertEquals(202, camera().plateRead(LANE, cargo.plate(), "CN", 0.97).status());

            await().atMost(Duration.ofSeconds(15)).until(() -> alarms.of("BARRIER-" + LANE).stream()
                    .anyMatch(a -> a.kind().equals("PLC_NOT_ANSWERING") && unit.equals(a.cargoUnitId())));
            assertEquals("CLOSED", barriers.state(LANE));
        } finally {
            plc.start();
        }
        assertFalse(plc.coil(BARRIER_COIL));
    }

    @Test
    void aWeightFivePercentAboveTheDeclaredMassHoldsTheCargoUnit() {
        TestCargo cargo = declared();
        plc.scale(Math.round(DECLARED_KG * 1.05), false, true, false);
        arrive(cargo);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(cargo).equals("HELD"));
    }

    @Test
    void aWeightOnePercentAboveTheDeclaredMassPassesOnceTheScaleIsStable() throws Exception {
        TestCargo cargo = declared();
        plc.scale(Math.round(DECLARED_KG * 1.01), true, false, false); // still moving: not a reading
        arrive(cargo);
        Thread.sleep(1500);
        assertEquals("ARRIVED", state(cargo));

        plc.scale(Math.round(DECLARED_KG * 1.01), false, true, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(cargo).equals("AWAITING_CONFIRMATIONS"));
    }

    @Test
    void aSuspiciousScanHoldsTheCargoUnitForCustoms() {
        TestCargo cargo = declared();
        String container = cargo.containers().values().iterator().next();
        assertEquals(202, camera().scanResult(LANE, container, "SUSPICIOUS").status());
        assertEquals("HELD", state(cargo));
    }

    @Test
    void anotherPartysCertificateOrABadPayloadIsRefusedWithAStableCode() {
        EquipmentClient.Answer notGateway = new EquipmentClient(equipment, "vn-nsw").plateRead(LANE, "桂F12345", "CN", 0.9);
        assertEquals(403, notGateway.status());
        assertTrue(notGateway.body().contains("EQUIPMENT_NOT_AUTHORIZED"), notGateway.body());

        EquipmentClient.Answer badConfidence = camera().plateRead(LANE, "桂F12345", "CN", 1.7);
        assertEquals(400, badConfidence.status());
        assertTrue(badConfidence.body().contains("EQUIPMENT_PAYLOAD_INVALID"), badConfidence.body());
        EquipmentClient.Answer notJson = camera().post("anpr-reads", "{plate: ");
        assertEquals(400, notJson.status());
        assertTrue(notJson.body().contains("EQUIPMENT_PAYLOAD_INVALID"), notJson.body());
        EquipmentClient.Answer badContainer = camera().scanResult(LANE, "CXDU1210451", "CLEAR");
        assertEquals(400, badContainer.status());
    }

    // ------------------------------------------------------------------ helpers

    private EquipmentClient camera() {
        return new EquipmentClient(equipment, "equipment-gateway");
    }

    private TestCargo declared() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        submit(cargo.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(cargo.reference()).isPresent());
        return cargo;
    }

    private void arrive(TestCargo cargo) {
        assertEquals(202, camera().plateRead(LANE, cargo.plate(), "CN", 0.97).status());
    }

    /** Declared, read at the lane, weighed on its scale, approved by customs and the border guard. */
    private TestCargo released(long kilograms) {
        TestCargo cargo = declared();
        plc.scale(kilograms, false, true, false);
        arrive(cargo);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(cargo).equals("AWAITING_CONFIRMATIONS"));
        plc.scale(0, false, false, false);
        String unit = unitId(cargo);
        submit(TestMessages.confirmation(unit, cargo.reference(), "VN-CUSTOMS", "APPROVED"), "vn-customs");
        submit(TestMessages.confirmation(unit, cargo.reference(), "VN-BORDER-GUARD", "APPROVED"), "vn-border-guard");
        await().atMost(Duration.ofSeconds(10)).until(() -> state(cargo).equals("RELEASED"));
        return cargo;
    }

    private String unitId(TestCargo cargo) {
        return queries.byDeclarationReference(cargo.reference()).orElseThrow().id();
    }

    private String state(TestCargo cargo) {
        return queries.byDeclarationReference(cargo.reference()).orElseThrow().state();
    }

    private void submit(Document document, String party) {
        PartnerClient.Receipt receipt = new PartnerClient(edge, party).submit(PartnerDocuments.sign(document, party));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
    }
}
