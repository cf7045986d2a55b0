package vn.huunghi.hub.ops;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.QueryPlans;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.StubPartners;
import vn.huunghi.hub.edge.TestCargo;
import vn.huunghi.hub.edge.TestFlow;
import vn.huunghi.hub.equipment.EquipmentClient;
import vn.huunghi.hub.workflow.CargoUnitQueries;

/** The business figures at the Prometheus endpoint, and readiness, after a scenario run through the real edge. */
@QuarkusTest
class OperatorMetricsTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @TestHTTPResource(value = "/equipment", tls = true)
    URL equipment;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @Inject
    CargoUnitQueries queries;

    @Inject
    vn.huunghi.hub.workflow.CargoUnitWorkflow workflow;

    @Inject
    HubConfig config;

    @Inject
    HubKeys keys;

    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void aScenarioShowsInEveryBusinessFigure() throws Exception {
        Scrape before = scrape();

        // a document signed by someone other than its sender: one rejection with its code
        Document forged = TestCargo.of("CargoPreDeclaration-ic-import").document();
        PartnerClient.Receipt rejected = new PartnerClient(edge, "vn-customs").submit(PartnerDocuments.sign(forged, "vn-customs"));
        assertEquals("REJECTED", rejected.verdict());
        String code = rejected.errorCodes().get(0);

        // a cargo unit weighed and awaiting customs and the border guard; the border guard's view cannot be delivered
        StubPartners.failNext("VN-BORDER-GUARD", 1000);
        TestFlow flow = new TestFlow(edge, queries);
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        String unit = flow.declare(cargo);
        flow.arriveAndWeigh(cargo, unit, "4860.000");

        Scrape awaiting = scrape();
        assertEquals(1, awaiting.delta(before, "hub_confirmations_awaited", "agency=\"VN-CUSTOMS\""));
        assertEquals(1, awaiting.delta(before, "hub_confirmations_awaited", "agency=\"VN-BORDER-GUARD\""));
        assertEquals(1, awaiting.delta(before, "hub_cargo_units", "state=\"AWAITING_CONFIRMATIONS\""));

        await().atMost(Duration.ofSeconds(20)).until(() -> scrape().delta(before, "hub_outbox_dead_letters_open",
                "party=\"VN-BORDER-GUARD\"") == 1);
        StubPartners.failNext("VN-BORDER-GUARD", 0);

        flow.confirmAll(cargo, unit, "APPROVED");
        flow.awaitState(unit, "RELEASED");

        // an unknown plate at a lane: one equipment alarm
        String unknown = "桂F" + java.util.concurrent.ThreadLocalRandom.current().nextInt(10000, 99999);
        assertTrue(new EquipmentClient(equipment, "equipment-gateway").plateRead("EXIT-1", unknown, "CN", 0.97).body()
                .contains("PLATE_UNKNOWN"));

        Scrape after = scrape();
        assertEquals(1, after.delta(before, "hub_edge_rejections_total", "code=\"" + code + "\""));
        assertEquals(1, after.delta(before, "hub_cargo_units", "state=\"RELEASED\""));
        assertEquals(0, after.delta(before, "hub_cargo_units", "state=\"AWAITING_CONFIRMATIONS\""));
        assertEquals(0, after.delta(before, "hub_confirmations_awaited", "agency=\"VN-CUSTOMS\""));
        assertEquals(1, after.delta(before, "hub_workflow_declaration_to_release_seconds_count", ""));
        assertTrue(after.value("hub_workflow_declaration_to_release_seconds_bucket", "le=\"+Inf\"") >= 1);
        // the outbox's depth per partner, none of it left for a party no route delivers to (a copy of each
        // release once waited for the equipment gateway for ever)
        assertTrue(after.text().contains("\nhub_outbox_depth{"), "outbox depth not exported");
        assertEquals(0, after.value("hub_outbox_depth", "party=\"EQUIPMENT-GATEWAY\""));
        assertEquals(1, after.delta(before, "hub_equipment_alarms_total", "kind=\"PLATE_UNKNOWN\""));
        // the audit chainer's backlog, which grows only when it cannot reach the database
        assertTrue(after.text().contains("\nhub_audit_entries_unchained{log=\"audit\"}"), "audit backlog not exported");
        // Camel's own route metrics sit beside them
        assertTrue(after.value("camel_exchanges_total", "routeId=\"workflow-confirmations\"") >= 2);
        // and every series the Grafana dashboard in docs/ plots is one the hub exports
        java.util.regex.Matcher series = java.util.regex.Pattern.compile("\\b((?:hub|camel|jvm)_[a-z_]+)")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("docs/grafana-dashboard.json")));
        while (series.find()) {
            assertTrue(after.text().contains("\n" + series.group(1)), series.group(1) + " is not exported");
        }

        // its vehicle leaves through an exit barrier: no longer at the gate, one of the day's exits
        assertEquals("APPLIED", workflow.recordExit(java.util.UUID.randomUUID().toString(), unit, "EXIT-1").name());
        Scrape exited = scrape();
        assertEquals(0, exited.delta(before, "hub_cargo_units", "state=\"RELEASED\""));
        assertEquals(1, exited.delta(before, "hub_cargo_units_finished", "state=\"EXITED\""));
        assertFalse(exited.text().contains("hub_cargo_units{state=\"EXITED\"}"), "a final state is not at the gate");
    }

    @Test
    void readinessCoversBrokerDatabaseKeyStoresAndPartnerDeliveries() {
        JsonPath health = given().when().get(readiness).then().statusCode(200).extract().jsonPath();
        assertTrue(health.getList("checks.name").containsAll(java.util.List.of("broker", "key-stores", "partner-deliveries")),
                health.prettify());
        assertTrue(health.prettify().contains("Database connections health check"), health.prettify());
        assertTrue(health.prettify().contains("last delivery"), health.prettify());
        // the Amazon Corretto Crypto Provider loads on linux-x86_64, so it signs (hub.crypto.provider=accp)
        assertEquals("accp", health.getString("checks.find { it.name == 'key-stores' }.data.provider"), health.prettify());
    }

    @Test
    void readinessFindsEachPartnersLastDeliveryThroughAnIndexNotByReadingEveryDelivery() throws Exception {
        String plan = QueryPlans.plan(dataSource, PartnerDeliveryHealthCheck.LAST_DELIVERY, "VN-CUSTOMS");
        assertTrue(plan.toLowerCase(java.util.Locale.ROOT).contains("outbound_delivery_last"), plan);
    }

    @Test
    void theCargoUnitsAtTheGateAndTheDaysFinishedOnesAreCountedThroughAnIndexNotByReadingTheGatesHistory()
            throws Exception {
        for (String query : java.util.List.of(BusinessMetrics.CARGO_UNITS_AT_THE_GATE,
                BusinessMetrics.CARGO_UNITS_FINISHED_TODAY)) {
            String plan = QueryPlans.plan(dataSource, query);
            assertTrue(plan.toLowerCase(java.util.Locale.ROOT).contains("cargo_unit_awaiting"), plan);
        }
    }

    @Test
    void theConfirmationsAwaitedAreCountedThroughAnIndexNotByReadingEveryRequiredAgency() throws Exception {
        String plan = QueryPlans.plan(dataSource, BusinessMetrics.CONFIRMATIONS_AWAITED);
        assertTrue(plan.toLowerCase(java.util.Locale.ROOT).contains("required_agency_status"), plan);
    }

    @Test
    void aCertificateExpiringWithinThirtyDaysIsAWarningAndAnExpiredOneMakesTheHubUnready() throws Exception {
        KeyStore keystore = HubKeys.load(config.crypto().keystore(), config.crypto().keystorePassword());
        Instant notAfter = Collections.list(keystore.aliases()).stream()
                .map(alias -> ((X509Certificate) uncheckedCertificate(keystore, alias)).getNotAfter().toInstant())
                .min(Instant::compareTo).orElseThrow();

        HealthCheckResponse fine = new KeyStoreHealthCheck(config, keys, Clock.fixed(notAfter.minus(Duration.ofDays(90)), ZoneOffset.UTC)).call();
        assertEquals(HealthCheckResponse.Status.UP, fine.getStatus());
        assertTrue(fine.getData().isEmpty() || !fine.getData().get().containsKey("warning"));

        HealthCheckResponse soon = new KeyStoreHealthCheck(config, keys, Clock.fixed(notAfter.minus(Duration.ofDays(10)), ZoneOffset.UTC)).call();
        assertEquals(HealthCheckResponse.Status.UP, soon.getStatus());
        assertTrue(soon.getData().orElseThrow().get("warning").toString().contains("keystore:"));

        HealthCheckResponse expired = new KeyStoreHealthCheck(config, keys, Clock.fixed(notAfter.plus(Duration.ofDays(1)), ZoneOffset.UTC)).call();
        assertEquals(HealthCheckResponse.Status.DOWN, expired.getStatus());
    }

    private static java.security.cert.Certificate uncheckedCertificate(KeyStore keystore, String alias) {
        try {
            return keystore.getCertificate(alias);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Scrape scrape() throws InterruptedException {
        Thread.sleep(1100); // the business figures are read from the database at most once a second
        return new Scrape(given().when().get(metrics).then().statusCode(200).extract().asString());
    }

    /** One scrape of the Prometheus endpoint. */
    record Scrape(String text) {

        double value(String name, String label) {
            double total = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    String labels = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1) : "";
                    if (labels.contains(label)) {
                        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
            return total;
        }

        long delta(Scrape before, String name, String label) {
            return Math.round(value(name, label) - before.value(name, label));
        }
    }
}
