package vn.huunghi.hub.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.catalog.MessageCatalog;

@QuarkusTest
class AgencyViewsTest {

    static final List<String> AGENCIES = List.of("VN-CUSTOMS", "VN-BORDER-GUARD", "VN-PLANT-QUARANTINE",
            "VN-ANIMAL-QUARANTINE", "VN-HEALTH-QUARANTINE", "VN-PORT-OPERATOR");
    /** Fields the plant quarantine must never see: commercial values and the driver's identity. */
    static final List<String> NOT_FOR_PLANT_QUARANTINE = List.of("InvoiceValue", "Invoice", "TotalAmount", "Driver",
            "IdentityDocument", "Name");

    @Inject
    AgencyViews views;

    static Stream<Arguments> everySampleForEveryAgency() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> samples = Files.list(Path.of("schemas/v1/samples"))) {
            for (Path sample : samples.filter(p -> p.getFileName().toString().startsWith("CargoPreDeclaration")).sorted().toList()) {
                for (String agency : AGENCIES) {
                    cases.add(Arguments.of(sample.getFileName().toString(), agency));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} view of {0}")
    @MethodSource("everySampleForEveryAgency")
    void aViewHoldsOnlyWhatTheAgencysAllowListAllowsAndIsAValidMessage(String sample, String agency) throws IOException {
        byte[] rendered = render(sample, agency);
        assertEquals(List.of(), MessageCatalog.v1().validate(rendered));

        AgencyViews.View view = views.viewOf(agency);
        Element shown = agencyView(rendered);
        for (Element field : AgencyViews.children(shown)) {
            String name = field.getLocalName();
            if (List.of("CargoUnitId", "Agency", "ViewId", "RequiredBy").contains(name)) {
                continue;
            }
            assertTrue(view.allows(name), agency + " sees " + name);
            if (!view.whole().contains(name)) {
                for (Element child : AgencyViews.children(field)) {
                    assertTrue(view.allows(name + "/" + child.getLocalName()),
                            agency + " sees " + name + "/" + child.getLocalName());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preDeclarationSamples")
    void thePlantQuarantineViewCarriesNoValuePriceOrDriverIdentity(String sample) throws IOException {
        Element shown = agencyView(render(sample, "VN-PLANT-QUARANTINE"));
        for (String forbidden : NOT_FOR_PLANT_QUARANTINE) {
            // Name may appear under Exporter/Importer (a company); never under a Driver, which must be absent
            if (forbidden.equals("Name")) {
                continue;
            }
            assertEquals(0, shown.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, forbidden).getLength(),
                    forbidden + " reached plant quarantine");
        }
        assertFalse(new String(render(sample, "VN-PLANT-QUARANTINE")).contains("currency="));
    }

    static Stream<String> preDeclarationSamples() throws IOException {
        try (Stream<Path> samples = Files.list(Path.of("schemas/v1/samples"))) {
            return samples.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("CargoPreDeclaration"))
                    .sorted().toList().stream();
        }
    }

    private byte[] render(String sample, String agency) throws IOException {
        Document declaration = HubDocuments.parse(Files.readAllBytes(Path.of("schemas/v1/samples", sample)));
        return views.render("CU-20261123-000001", agency, List.of("every-cargo-unit-customs"), declaration, null,
                Instant.now());
    }

    private static Element agencyView(byte[] rendered) {
        Element body = HubDocuments.child(HubDocuments.parse(rendered).getDocumentElement(), "Body");
        return HubDocuments.child(body, "AgencyView");
    }
}
