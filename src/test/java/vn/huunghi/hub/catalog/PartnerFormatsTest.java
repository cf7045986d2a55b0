package vn.huunghi.hub.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;

class PartnerFormatsTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/mapping-nanning");
    final PartnerFormats formats = new PartnerFormats();

    @Test
    void nanningsDeclarationFormatTranslatesToTheCanonicalExportShipmentData() throws Exception {
        byte[] nanning = Files.readAllBytes(FIXTURES.resolve("export-shipment.nanning.xml"));
        PartnerFormats.Format format = formats.of(HubDocuments.parse(nanning)).orElseThrow();

        byte[] canonical = PartnerFormats.toCanonical(format, HubDocuments.parse(nanning));

        assertEquals("CN-NANNING-CUSTOMS", format.partner());
        assertEquals(List.of(), MessageCatalog.v1().validate(canonical));
        assertSame(Files.readAllBytes(FIXTURES.resolve("export-shipment.canonical.xml")), canonical);
    }

    @Test
    void theCanonicalExportShipmentDataTranslatesToNanningsDeclarationFormat() throws Exception {
        byte[] canonical = Files.readAllBytes(FIXTURES.resolve("export-shipment.canonical.xml"));

        byte[] nanning = PartnerFormats.fromCanonical(formats.byId("nanning-dec-v1").orElseThrow(),
                HubDocuments.parse(canonical));

        assertSame(Files.readAllBytes(FIXTURES.resolve("export-shipment.nanning.xml")), nanning);
    }

    @Test
    void aCatalogDocumentIsNoPartnerFormat() throws Exception {
        assertFalse(formats.of(HubDocuments.parse(Files.readAllBytes(Path.of("schemas/v1/samples/ExportShipmentData.xml"))))
                .isPresent());
    }

    private static void assertSame(byte[] expected, byte[] actual) {
        Diff diff = DiffBuilder.compare(expected).withTest(actual).ignoreWhitespace().checkForSimilar().build();
        assertFalse(diff.hasDifferences(), () -> diff + "\n" + new String(actual));
    }
}
