package vn.huunghi.hub.workflow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.QueryPlans;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestMessages;
import vn.huunghi.hub.edge.TestPki;
import vn.huunghi.hub.edge.TestRules;

@QuarkusTest
@QuarkusTestResource(TestPki.class)
@QuarkusTestResource(TestRules.class)
@QuarkusTestResource(vn.huunghi.hub.edge.TestDatabase.class)
class CargoUnitWorkflowTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    CargoUnitQueries queries;

    @Inject
    CargoUnitWorkflow workflow;

    @Inject
    DataSource dataSource;

    @Inject
    CargoUnitNumbers numbers;

    @Test
    void cargoUnitNumbersAreClaimedFiftyAtATimeAndAHubStartedAgainGoesOnAfterItsBlock() throws Exception {
        Instant day = Instant.parse("2099-11-11T08:00:00Z");
        long first = number(numbers.next(day));
        assertEquals(first + 1, number(numbers.next(day)));
        assertEquals(first + 2, number(numbers.next(day)));
        // one claim on the counter row for all three: what this hub may hand out without asking again
        assertEquals(first + CargoUnitNumbers.BLOCK - 1, counterOn("20991111"));

        // a hub started again claims the next block: the rest of the first is a gap, never a repeat
        assertEquals(first + CargoUnitNumbers.BLOCK, number(new CargoUnitNumbers(dataSource).next(day)));

        String nextDay = numbers.next(Instant.parse("2099-11-12T00:30:00Z"));
        assertTrue(nextDay.startsWith("CU-20991112-"), nextDay);
        assertEquals(counterOn("20991112") - CargoUnitNumbers.BLOCK + 1, number(nextDay));
    }

    private static long number(String cargoUnitId) {
        return Long.parseLong(cargoUnitId.substring(cargoUnitId.lastIndexOf('-') + 1));
    }

    private long counterOn(String day) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT last_value FROM cargo_unit_counter WHERE counter_day = ?")) {
            select.setString(1, day);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "no counter for " + day);
                return row.getLong(1);
            }
        }
    }

    @Test
    void theScalePollFindsTheArrivedCargoUnitsThroughAnIndexNotByReadingEveryCargoUnit() throws Exception {
        String plan = QueryPlans.plan(dataSource, CargoUnitWorkflow.AWAITING_WEIGHING, "ARRIVED");
        assertTrue(plan.toLowerCase(Locale.ROOT).contains("cargo_unit_awaiting"), plan);
    }

    @Test
    void aPlateReadFindsItsCargoUnitThroughAnIndexNotByReadingEveryCargoUnit() throws Exception {
        String plan = QueryPlans.plan(dataSource, "SELECT id FROM cargo_unit WHERE " + CargoUnitWorkflow.OPEN_WITH_PLATE, "12C23449");
        assertTrue(plan.toLowerCase(Locale.ROOT).contains("cargo_unit_vehicle_plate_key"), plan);
    }

    @Test
    void theOperatorPagesRecentCargoUnitsAreReadThroughAnIndexNotBySortingEveryCargoUnit() throws Exception {
        String plan = QueryPlans.plan(dataSource, CargoUnitQueries.recentQuery(50));
        assertTrue(plan.toLowerCase(Locale.ROOT).contains("cargo_unit_recent"), plan);
    }

    @Test
    void aPlateReadWithoutTheDeclaredDotFindsItsCargoUnit() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        CargoUnitQueries.CargoUnitSummary unit = declare(cargo);
        String read = cargo.plate().replace(".", ""); // 12C-123.45 on the declaration, 12C-12345 on the camera's read
        assertNotEquals(cargo.plate(), read);

        awaitOutcome(submit(TestMessages.entryRead(read, "VN"), "equipment-gateway"));

        assertEquals("ARRIVED", queries.byId(unit.id()).orElseThrow().state());
    }

    @Test
    void aDragonFruitExportRequiresExactlyCustomsBorderGuardAndPlantQuarantineAndNamesTheRules() {
        CargoUnitQueries.CargoUnitSummary unit = declare("CargoPreDeclaration-dragon-fruit-export");

        assertEquals(Set.of("VN-CUSTOMS", "VN-BORDER-GUARD", "VN-PLANT-QUARANTINE"), unit.requiredAgencies().keySet());
        assertEquals(List.of("plant-products-hs-06-14"), unit.requiredAgencies().get("VN-PLANT-QUARANTINE").ruleIds());
        assertEquals(List.of("every-cargo-unit-customs"), unit.requiredAgencies().get("VN-CUSTOMS").ruleIds());
        assertEquals(Set.of("every-cargo-unit-customs", "every-cargo-unit-border-guard", "plant-products-hs-06-14"),
                firedRuleIds(unit));
    }

    @Test
    void anIntegratedCircuitImportFromChinaOnTheGreenChannelRequiresExactlyCustomsAndBorderGuard() {
        CargoUnitQueries.CargoUnitSummary unit = declare("CargoPreDeclaration-ic-import");

        assertEquals(Set.of("VN-CUSTOMS", "VN-BORDER-GUARD"), unit.requiredAgencies().keySet());
        assertTrue(firedRuleIds(unit).contains("electronic-components-no-quarantine"));
    }

    @Test
    void aYellowChannelDeclarationAsksCustomsForADocumentCheck() {
        CargoUnitQueries.CargoUnitSummary unit = declare("CargoPreDeclaration");

        assertEquals(List.of("DOCUMENT_CHECK"), unit.requiredAgencies().get("VN-CUSTOMS").inspections());
        assertEquals(List.of("every-cargo-unit-customs", "yellow-channel-document-check"),
                unit.requiredAgencies().get("VN-CUSTOMS").ruleIds());
    }

    @Test
    void eachRequiredAgencyReceivesItsViewAndTheDeclarantIsNotified() {
        CargoUnitQueries.CargoUnitSummary unit = declare("CargoPreDeclaration-dragon-fruit-export");

        List<String> outbound = queries.outboundMessages(unit.id()).stream().map(m -> m[0] + " " + m[1]).toList();
        assertEquals(List.of("VN-CUSTOMS AgencyView", "VN-BORDER-GUARD AgencyView", "VN-PLANT-QUARANTINE AgencyView",
                "VN-NSW StatusNotification", "CN-NANNING-CUSTOMS CargoPreDeclaration"), outbound);
    }

    @Test
    void aPlantQuarantineApprovalOfAFruitExportSendsItsEphytoNumberOnToNanningCustoms() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        CargoUnitQueries.CargoUnitSummary unit = declare(cargo);
        Document approval = TestMessages.confirmation(unit.id(), cargo.reference(), "VN-PLANT-QUARANTINE", "APPROVED");
        org.w3c.dom.Element decidedAt = (org.w3c.dom.Element) approval.getElementsByTagNameNS(
                vn.huunghi.hub.catalog.MessageCatalog.NAMESPACE_V1, "DecidedAt").item(0);
        org.w3c.dom.Element ephyto = approval.createElementNS(vn.huunghi.hub.catalog.MessageCatalog.NAMESPACE_V1,
                "PhytosanitaryCertificateNumber");
        ephyto.setTextContent("VN-ePhyto-2026-PQ7-0099001");
        decidedAt.getParentNode().appendChild(ephyto);

        awaitOutcome(submit(approval, "vn-plant-quarantine"));

        List<byte[]> toNanning = queries.outboundDocuments(unit.id(), "CN-NANNING-CUSTOMS");
        assertEquals(2, toNanning.size());
        String supplement = new String(toNanning.get(1), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(supplement.contains("<FunctionCode>SUPPLEMENT</FunctionCode>"), supplement);
        assertTrue(supplement.contains("<PhytosanitaryCertificateNumber>VN-ePhyto-2026-PQ7-0099001</PhytosanitaryCertificateNumber>"));
        assertEquals(List.of(), vn.huunghi.hub.catalog.MessageCatalog.v1().validate(toNanning.get(1)));
    }

    @Test
    void releaseIsRefusedUntilEveryRequiredAgencyApprovedThenExactlyOneReleaseDecisionGoesOut() throws Exception {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        CargoUnitQueries.CargoUnitSummary unit = declare(cargo);
        bringToAwaitingConfirmations(cargo, unit, "26350.000");
        submit(TestMessages.confirmation(unit.id(), cargo.reference(), "VN-CUSTOMS", "APPROVED"), "vn-customs");

        Document earlyRelease = TestMessages.releaseDecision(unit.id(), cargo.reference(), cargo.plate());
        submit(earlyRelease, "vn-customs");
        String earlyId = PartnerDocuments.headerValue(earlyRelease, "MessageId");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.outcomeOf(earlyId).isPresent());
        assertEquals("RELEASE_BEFORE_APPROVALS", queries.outcomeOf(earlyId).orElseThrow());
        assertEquals("AWAITING_CONFIRMATIONS", queries.byId(unit.id()).orElseThrow().state());

        // the last two approvals at the same instant, on two threads
        byte[] borderGuard = XmlSigner.serialize(TestMessages.confirmation(unit.id(), cargo.reference(), "VN-BORDER-GUARD", "APPROVED"));
        byte[] plant = XmlSigner.serialize(TestMessages.confirmation(unit.id(), cargo.reference(), "VN-PLANT-QUARANTINE", "APPROVED"));
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<WorkflowOutcome> first = threads.submit(() -> { together.await(); return workflow.confirm(borderGuard); });
            Future<WorkflowOutcome> second = threads.submit(() -> { together.await(); return workflow.confirm(plant); });
            assertEquals(WorkflowOutcome.APPLIED, first.get());
            assertEquals(WorkflowOutcome.APPLIED, second.get());
        } finally {
            threads.shutdownNow();
        }

        assertEquals("RELEASED", queries.byId(unit.id()).orElseThrow().state());
        List<String> releases = queries.outboundMessages(unit.id()).stream()
                .filter(m -> m[1].equals("ReleaseDecision")).map(m -> m[0]).toList();
        // the gate gets none: the hub opens its barriers itself
        assertEquals(List.of("CN-NANNING-CUSTOMS"), releases);
    }

    @Test
    void aReleasedExportDrivenOutThroughTheBorderBarrierExitsOnceAndNanningCustomsIsTold() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        String unit = new vn.huunghi.hub.edge.TestFlow(edge, queries).release(cargo, "26350.000");
        String openCommand = java.util.UUID.randomUUID().toString();

        assertEquals(WorkflowOutcome.APPLIED, workflow.recordExit(openCommand, unit, "BORDER-1"));
        // the same OPEN carried out again after a crash: the exit is not recorded twice
        assertEquals(WorkflowOutcome.ALREADY_PROCESSED, workflow.recordExit(openCommand, unit, "BORDER-1"));

        assertEquals("EXITED", queries.byId(unit).orElseThrow().state());
        for (String party : List.of("CN-NANNING-CUSTOMS", "VN-NSW")) {
            long told = queries.outboundDocuments(unit, party).stream()
                    .map(document -> new String(document, java.nio.charset.StandardCharsets.UTF_8))
                    .filter(document -> document.contains("<State>EXITED</State>")).count();
            assertEquals(1, told, party + " is told of the exit once");
        }
    }

    @Test
    void aSecondConfirmationFromTheSameAgencyIsADuplicateAndAnAgencyNotAskedIsRefused() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        CargoUnitQueries.CargoUnitSummary unit = declare(cargo);

        String first = submit(TestMessages.confirmation(unit.id(), cargo.reference(), "VN-BORDER-GUARD", "APPROVED"), "vn-border-guard");
        String second = submit(TestMessages.confirmation(unit.id(), cargo.reference(), "VN-BORDER-GUARD", "REJECTED"), "vn-border-guard");
        String notAsked = submit(TestMessages.confirmation(unit.id(), cargo.reference(), "VN-ANIMAL-QUARANTINE", "APPROVED"), "vn-animal-quarantine");

        assertEquals("APPLIED", awaitOutcome(first));
        assertEquals("CONFIRMATION_DUPLICATE", awaitOutcome(second));
        assertEquals("CONFIRMATION_NOT_REQUIRED", awaitOutcome(notAsked));
        CargoUnitQueries.CargoUnitSummary after = queries.byId(unit.id()).orElseThrow();
        assertEquals("APPROVED", after.requiredAgencies().get("VN-BORDER-GUARD").status());
        assertEquals("DECLARED", after.state());
    }

    @Test
    void aRejectionFromAnyRequiredAgencyHoldsTheCargoUnit() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        CargoUnitQueries.CargoUnitSummary unit = declare(cargo);

        awaitOutcome(submit(TestMessages.confirmation(unit.id(), cargo.reference(), "VN-PLANT-QUARANTINE", "REJECTED"),
                "vn-plant-quarantine"));

        assertEquals("HELD", queries.byId(unit.id()).orElseThrow().state());
    }

    @Test
    void everyStateChangeNotifiesTheDeclarant() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        CargoUnitQueries.CargoUnitSummary unit = declare(cargo);
        bringToAwaitingConfirmations(cargo, unit, "4860.000");

        long stateChanges = queries.timeline(unit.id()).stream().filter(e -> e.kind().equals("STATE_CHANGED")).count();
        long notifications = queries.outboundMessages(unit.id()).stream()
                .filter(m -> m[0].equals("VN-NSW") && m[1].equals("StatusNotification")).count();
        assertEquals(3, stateChanges);
        assertEquals(stateChanges + 1, notifications); // and one for the declaration itself
    }

    @Test
    void aReleasedImportIsAddressedOnlyToPartiesTheHubDeliversTo() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        String unit = new vn.huunghi.hub.edge.TestFlow(edge, queries).release(cargo, "4860.000");

        assertEquals("RELEASED", queries.byId(unit).orElseThrow().state());
        // a party no route consumes would have its queue grow for ever, every message kept in the broker's journal
        Set<String> delivered = new java.util.HashSet<>(vn.huunghi.hub.ops.StubPartnerServer.PARTIES);
        delivered.add(CargoUnitWorkflow.BARRIERS);
        delivered.add(CargoUnitWorkflow.IGVS);
        List<String> parties = queries.outboundMessages(unit).stream().map(m -> m[0]).distinct().toList();
        assertTrue(delivered.containsAll(parties), "addressed to " + parties);
        assertTrue(queries.outboundMessages(unit).stream().noneMatch(m -> m[1].equals("ReleaseDecision")),
                "an import's release is told to the declarant as a status, to no one as a ReleaseDecision");
    }

    @Test
    void aWeightFivePercentOverTheDeclaredMassHoldsTheCargoUnit() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        CargoUnitQueries.CargoUnitSummary unit = declare(cargo);
        awaitOutcome(submit(TestMessages.entryRead(cargo.plate(), "CN"), "equipment-gateway"));
        awaitOutcome(submit(TestMessages.weighed(unit.id(), "5103.000"), "equipment-gateway"));

        assertEquals("HELD", queries.byId(unit.id()).orElseThrow().state());
    }

    @Test
    void anEditedRuleFileTakesEffectWithoutARebuild() throws Exception {
        Path rules = TestRules.DIR.resolve("agency-selection.yaml");
        String original = Files.readString(rules);
        try {
            Files.writeString(rules, original + """

                      - id: test-health-check-everything
                        agency: VN-HEALTH-QUARANTINE
                        why: added by a test while the hub runs
                        when: "true()"
                    """);
            Files.setLastModifiedTime(rules, FileTime.from(Instant.now().plusSeconds(5)));

            CargoUnitQueries.CargoUnitSummary unit = declare("CargoPreDeclaration-ic-import");

            assertEquals(List.of("test-health-check-everything"),
                    unit.requiredAgencies().get("VN-HEALTH-QUARANTINE").ruleIds());
        } finally {
            Files.writeString(rules, original);
            Files.setLastModifiedTime(rules, FileTime.from(Instant.now().plusSeconds(10)));
        }
    }

    @Test
    void plateReadsAndWeighingsSentBackToBackOnFourLanesAreEachAppliedAfterTheirPlateRead() throws Exception {
        // several consumers take gate events, each lane's events in order (its JMS group): a weighing
        // applied before its plate read would be ignored and leave the cargo unit ARRIVED
        List<String> lanes = List.of("ENTRY-11", "ENTRY-12", "ENTRY-13", "ENTRY-14");
        List<TestCargo> cargo = new ArrayList<>();
        List<CargoUnitQueries.CargoUnitSummary> units = new ArrayList<>();
        for (int i = 0; i < lanes.size() * 2; i++) {
            cargo.add(TestCargo.of("CargoPreDeclaration-ic-import"));
            units.add(declare(cargo.get(i)));
        }
        ExecutorService gateway = Executors.newFixedThreadPool(lanes.size());
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int l = 0; l < lanes.size(); l++) {
                String lane = lanes.get(l);
                List<Integer> onLane = List.of(l, l + lanes.size());
                sent.add(gateway.submit(() -> onLane.forEach(i -> {
                    submit(TestMessages.entryRead(cargo.get(i).plate(), "CN", lane), "equipment-gateway");
                    submit(TestMessages.weighed(units.get(i).id(), "4860.000", lane), "equipment-gateway");
                })));
            }
            for (Future<?> lane : sent) {
                lane.get();
            }
        } finally {
            gateway.shutdown();
        }
        for (CargoUnitQueries.CargoUnitSummary unit : units) {
            await().atMost(Duration.ofSeconds(10)).until(() -> queries.byId(unit.id()).orElseThrow().state(),
                    "AWAITING_CONFIRMATIONS"::equals);
        }
    }

    // ------------------------------------------------------------------ helpers

    private CargoUnitQueries.CargoUnitSummary declare(String sample) {
        return declare(TestCargo.of(sample));
    }

    private CargoUnitQueries.CargoUnitSummary declare(TestCargo cargo) {
        submit(cargo.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(cargo.reference()).isPresent());
        return queries.byDeclarationReference(cargo.reference()).orElseThrow();
    }

    private void bringToAwaitingConfirmations(TestCargo cargo, CargoUnitQueries.CargoUnitSummary unit, String kilograms) {
        String nationality = cargo.plate().startsWith("12") ? "VN" : "CN";
        awaitOutcome(submit(TestMessages.entryRead(cargo.plate(), nationality), "equipment-gateway"));
        assertEquals("ARRIVED", queries.byId(unit.id()).orElseThrow().state());
        awaitOutcome(submit(TestMessages.weighed(unit.id(), kilograms), "equipment-gateway"));
        assertEquals("AWAITING_CONFIRMATIONS", queries.byId(unit.id()).orElseThrow().state());
    }

    /** Signs the document as the party and sends it through the real edge; returns its messageId. */
    private String submit(Document document, String party) {
        PartnerClient.Receipt receipt = new PartnerClient(edge, party).submit(PartnerDocuments.sign(document, party));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
        return PartnerDocuments.headerValue(document, "MessageId");
    }

    private String awaitOutcome(String messageId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.outcomeOf(messageId)
                .filter(outcome -> !outcome.equals("IN_PROGRESS")).isPresent());
        return queries.outcomeOf(messageId).orElseThrow();
    }

    private static Set<String> firedRuleIds(CargoUnitQueries.CargoUnitSummary unit) {
        return unit.firedRules().stream().map(CargoUnitQueries.FiredRule::ruleId).collect(Collectors.toSet());
    }
}
