package vn.huunghi.hub.workflow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;

@QuarkusTest
class NanningMatchingTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    CargoUnitQueries queries;

    @Test
    void nanningDataArrivingFirstIsLinkedToTheImportPreDeclarationAndEachDifferenceIsRecorded() {
        TestCargo vietnamese = TestCargo.of("CargoPreDeclaration-ic-import");
        Document nanning = nanningRecordFor(vietnamese, "CNNN88009999", "5200.200"); // other seal, 7 % heavier

        String nanningId = submit(nanning, "cn-nanning-customs");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.outcomeOf(nanningId).filter("APPLIED"::equals).isPresent());
        submit(vietnamese.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(vietnamese.reference()).isPresent());

        String unit = queries.byDeclarationReference(vietnamese.reference()).orElseThrow().id();
        List<String> discrepancies = queries.discrepancies(unit);
        assertEquals(2, discrepancies.size(), discrepancies::toString);
        assertTrue(discrepancies.contains("SEAL_NUMBERS: CNNN88001234 | CNNN88009999"), discrepancies::toString);
        assertTrue(discrepancies.contains("GROSS_MASS: 4860.000 | 5200.200"), discrepancies::toString);
    }

    @Test
    void nanningDataArrivingAfterThePreDeclarationIsLinkedToo() {
        TestCargo vietnamese = TestCargo.of("CargoPreDeclaration-ic-import");
        submit(vietnamese.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(vietnamese.reference()).isPresent());

        String nanningId = submit(nanningRecordFor(vietnamese, "CNNN88001234", "4870.000"), "cn-nanning-customs");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.outcomeOf(nanningId).filter("APPLIED"::equals).isPresent());

        String unit = queries.byDeclarationReference(vietnamese.reference()).orElseThrow().id();
        assertEquals(List.of(), queries.discrepancies(unit));
        assertTrue(queries.timeline(unit).stream().anyMatch(e -> e.kind().equals("EXPORT_SHIPMENT_LINKED")));
    }

    private static Document nanningRecordFor(TestCargo vietnamese, String seal, String grossMass) {
        Document nanning = PartnerDocuments.fresh("ExportShipmentData");
        set(nanning, "VietnameseDeclarationReference", vietnamese.reference());
        set(nanning, "VehiclePlate", vietnamese.plate());
        String container = vietnamese.containers().values().iterator().next();
        var numbers = nanning.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "ContainerNumber");
        for (int i = 0; i < numbers.getLength(); i++) {
            numbers.item(i).setTextContent(container);
        }
        set(nanning, "Seal", seal);
        set(nanning, "TotalGrossMass", grossMass);
        return nanning;
    }

    private static void set(Document document, String element, String value) {
        document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, element).item(0).setTextContent(value);
    }

    private String submit(Document document, String party) {
        PartnerClient.Receipt receipt = new PartnerClient(edge, party).submit(PartnerDocuments.sign(document, party));
        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
        return PartnerDocuments.headerValue(document, "MessageId");
    }
}
