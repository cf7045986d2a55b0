package vn.huunghi.hub.replay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.StubPartners;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestFlow;
import vn.huunghi.hub.edge.TestMessages;
import vn.huunghi.hub.equipment.TestMqtt;
import vn.huunghi.hub.workflow.CargoUnitQueries;

/**
 * The scenario library (src/test/resources/fixtures/): each fixture is replayed against the test
 * hub and must show no difference. The fixtures were recorded from the live scenarios below; run
 * with -Dfixtures.record=true to record them again (after a deliberate change of behaviour).
 */
@QuarkusTest
class ScenarioLibraryTest {

    static final Path LIBRARY = Path.of("src/test/resources/fixtures/scenarios");

    @TestHTTPResource(value = "/", tls = true)
    URL hub;

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    HubConfig config;

    @Inject
    CargoUnitQueries queries;

    static Stream<String> scenarios() throws Exception {
        try (Stream<Path> folders = Files.list(LIBRARY)) {
            return folders.filter(Files::isDirectory).map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void replaysWithoutDifference(String scenario) throws Exception {
        Replayer replay = new Replayer(LIBRARY.resolve(scenario), hub, config.recorder().dir().orElseThrow(),
                config.equipment().mqttBrokerUrl(), StubPartners.url());
        assertEquals(0, replay.run(), String.join("\n", replay.report()));
    }

    @Test
    void theLibraryHoldsEveryScenario() throws Exception {
        assertEquals(List.of("agency-rejection", "asean-origin-components", "dragon-fruit-export-to-china",
                "duplicate-submission", "eseal-tamper", "ic-import-from-china", "partner-outage", "weight-discrepancy"), scenarios().toList());
    }

    // ------------------------------------------------------------------ recording (-Dfixtures.record=true)

    /** Recording is a deliberate act (after a change of behaviour someone has agreed to), not part of every run. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "fixtures.record", matches = ".+")
    void recordTheLibrary() throws Exception {
        record("dragon-fruit-export-to-china", () -> released(TestCargo.of("CargoPreDeclaration-dragon-fruit-export"), "26350.000", "APPROVED"));
        record("ic-import-from-china", () -> released(TestCargo.of("CargoPreDeclaration-ic-import"), "4860.000", "APPROVED"));
        record("weight-discrepancy", () -> weighedOnly(TestCargo.of("CargoPreDeclaration-ic-import"), "5103.000"));
        record("agency-rejection", () -> released(TestCargo.of("CargoPreDeclaration-ic-import"), "4860.000", "REJECTED"));
        record("duplicate-submission", () -> duplicate(TestCargo.of("CargoPreDeclaration-ic-import")));
        record("asean-origin-components", this::aseanOrigin);
        record("eseal-tamper", this::esealTamper);
        record("partner-outage", this::partnerOutage);
        if (Files.isDirectory(LIBRARY.resolve("partner-outage"))) {
            Files.writeString(LIBRARY.resolve("partner-outage/partner-outage.txt"), OUTAGE_PARTY + " " + OUTAGE_REFUSALS + "\n");
        }
    }

    static final String OUTAGE_PARTY = "CN-NANNING-CUSTOMS";
    static final int OUTAGE_REFUSALS = 3;

    /** -Dfixtures.record=true records every scenario; -Dfixtures.record=a,b only those named. */
    private void record(String scenario, java.util.function.Supplier<Set<String>> live) throws Exception {
        String chosen = System.getProperty("fixtures.record");
        if (!chosen.equals("true") && !List.of(chosen.split(",")).contains(scenario)) {
            return;
        }
        Set<String> identifiers = live.get();
        Thread.sleep(3000); // the last deliveries land in the recording
        Path folder = LIBRARY.resolve(scenario);
        if (Files.exists(folder)) {
            try (Stream<Path> old = Files.walk(folder)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        FixtureExtract.extract(config.recorder().dir().orElseThrow(), identifiers, folder);
        assertFalse(Files.readAllLines(folder.resolve("inbound.txt")).isEmpty());
    }

    private Set<String> released(TestCargo cargo, String kilograms, String borderGuardDecision) {
        TestFlow flow = new TestFlow(edge, queries);
        String unit = flow.declare(cargo);
        flow.arriveAndWeigh(cargo, unit, kilograms);
        flow.confirmAll(cargo, unit, borderGuardDecision);
        flow.awaitState(unit, borderGuardDecision.equals("APPROVED") ? "RELEASED" : "HELD");
        return Set.of(cargo.reference(), cargo.plate(), unit);
    }

    private Set<String> weighedOnly(TestCargo cargo, String kilograms) {
        TestFlow flow = new TestFlow(edge, queries);
        String unit = flow.declare(cargo);
        flow.submit(TestMessages.entryRead(cargo.plate(), "CN"), "equipment-gateway");
        flow.awaitState(unit, "ARRIVED");
        flow.submit(TestMessages.weighed(unit, kilograms), "equipment-gateway");
        flow.awaitState(unit, "HELD");
        return Set.of(cargo.reference(), cargo.plate(), unit);
    }

    private Set<String> duplicate(TestCargo cargo) {
        byte[] signed = PartnerDocuments.sign(cargo.document(), "vn-nsw");
        assertEquals("ACCEPTED", new PartnerClient(edge, "vn-nsw").submit(signed).verdict());
        assertEquals("ACCEPTED", new PartnerClient(edge, "vn-nsw").submit(signed).verdict()); // the repeat gets the first receipt
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(cargo.reference()).isPresent());
        return Set.of(cargo.reference(), queries.byDeclarationReference(cargo.reference()).orElseThrow().id());
    }

    private Set<String> esealTamper() {
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-dragon-fruit-export");
        String seal = "ESEAL" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
        cargo.document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "Seal").item(0).setTextContent(seal);
        TestFlow flow = new TestFlow(edge, queries);
        String unit = flow.declare(cargo);
        TestMqtt.publish(config.equipment().mqttBrokerUrl(), config.equipment().esealTopic(), "{\"eventId\":\""
                + java.util.UUID.randomUUID() + "\",\"seal\":\"" + seal + "\",\"event\":\"TAMPER\","
                + "\"latitude\":21.8481,\"longitude\":106.7612}");
        flow.awaitState(unit, "HELD");
        return Set.of(cargo.reference(), cargo.plate(), unit, seal);
    }

    /** Nanning is down while a dragon-fruit export is released: its documents wait, then arrive once each. */
    private Set<String> partnerOutage() {
        StubPartners.failNext(OUTAGE_PARTY, OUTAGE_REFUSALS);
        Set<String> identifiers = released(TestCargo.of("CargoPreDeclaration-dragon-fruit-export"), "26350.000", "APPROVED");
        await().atMost(Duration.ofSeconds(20)).until(() -> StubPartners.outage(OUTAGE_PARTY).refusing() == 0);
        return identifiers;
    }

    /**
     * Malaysian integrated circuits, imported into Vietnam under an ATIGA e-Form D, leave again for
     * China beside Vietnamese transistors: the certificate arrives from the ASEAN Single Window, the
     * export claims it for the Malaysian item, and the cargo unit is released to Nanning.
     */
    private Set<String> aseanOrigin() {
        String malaysian = "MY-2026-AK-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        TestCargo cargo = TestCargo.of("CargoPreDeclaration");
        var claims = cargo.document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "PreferentialOriginCertificate");
        claims.item(1).setTextContent(malaysian);
        claims.item(0).getParentNode().removeChild(claims.item(0)); // Vietnamese transistors claim no ASEAN origin
        Document certificate = PartnerDocuments.fresh("OriginCertificate");
        certificate.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "CertificateNumber").item(0).setTextContent(malaysian);
        TestFlow flow = new TestFlow(edge, queries);
        flow.submit(certificate, "asean-sw");
        String unit = flow.release(cargo, "6120.000");
        return new LinkedHashSet<>(List.of(cargo.reference(), cargo.plate(), unit, malaysian));
    }
}
