package vn.huunghi.hub.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;
import vn.huunghi.hub.catalog.v1.ObjectFactory;

class MessageCatalogTest {

    static final Path SAMPLES = Path.of("schemas/v1/samples");
    static final Path INVALID = Path.of("src/test/resources/fixtures/catalog-invalid");
    static final MessageCatalog CATALOG = MessageCatalog.v1();

    static Stream<Path> samples() throws IOException {
        return Files.list(SAMPLES).filter(p -> p.toString().endsWith(".xml")).sorted();
    }

    @Test
    void thereIsASampleForEveryMessageType() {
        for (String type : List.of("CargoPreDeclaration", "ExportShipmentData", "OriginCertificate",
                "AseanCustomsDeclaration", "AgencyView", "AgencyConfirmation", "ReleaseDecision", "GateEvent",
                "StatusNotification", "Receipt")) {
            assertTrue(Files.exists(SAMPLES.resolve(type + ".xml")), "sample for " + type);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleValidatesAgainstTheCatalog(Path sample) throws IOException {
        assertEquals(List.of(), CATALOG.validate(Files.readAllBytes(sample)));
        assertTrue(CATALOG.isValid(HubDocuments.parse(Files.readAllBytes(sample))), "valid once parsed too");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyContainerNumberInTheSamplesHasAValidCheckDigit(Path sample) throws IOException {
        String xml = Files.readString(sample);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<ContainerNumber>([^<]+)</ContainerNumber>").matcher(xml);
        while (m.find()) {
            assertTrue(ContainerNumber.isValid(m.group(1)), m.group(1) + " in " + sample);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void jaxbRoundTripsEverySampleUnchanged(Path sample) throws Exception {
        byte[] original = Files.readAllBytes(sample);
        JAXBContext context = JAXBContext.newInstance(ObjectFactory.class);
        Object message = context.createUnmarshaller().unmarshal(new ByteArrayInputStream(original));
        Marshaller marshaller = context.createMarshaller();
        marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
        StringWriter written = new StringWriter();
        marshaller.marshal(message, written);

        Diff diff = DiffBuilder.compare(original).withTest(written.toString())
                .ignoreWhitespace().checkForSimilar().build();
        assertFalse(diff.hasDifferences(), () -> sample + " changed in the round trip: " + diff);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = FIXTURE_EXPECTATIONS)
    void aMalformedDocumentIsRejectedWithTheLineAndPathOfTheError(String fixture, int line, String path,
            String messageFragment) throws IOException {
        List<SchemaViolation> violations = CATALOG.validate(Files.readAllBytes(INVALID.resolve(fixture)));
        assertFalse(violations.isEmpty(), fixture + " was accepted");
        assertFalse(CATALOG.isValid(HubDocuments.parse(Files.readAllBytes(INVALID.resolve(fixture)))),
                fixture + " was accepted once parsed");
        // Xerces reports a facet error and then the element's type error: both at the same place
        for (SchemaViolation violation : violations) {
            assertEquals(line, violation.line(), violation::toString);
            assertEquals(path, violation.path(), violation::toString);
        }
        assertTrue(violations.get(0).message().contains(messageFragment), violations::toString);
    }

    @Test
    void aDocumentThatIsNotWellFormedYieldsOneViolationWithItsLine() {
        byte[] broken = "<Message xmlns=\"urn:huunghi-gate:hub:v1\">\n  <Header>\n</Message>".getBytes();
        List<SchemaViolation> violations = CATALOG.validate(broken);
        assertEquals(1, violations.size(), violations::toString);
        assertEquals(3, violations.get(0).line());
    }

    @Test
    void aDocumentBrokenHalfwayLeavesNothingBehindForTheNextOnTheSameThread() throws IOException {
        // each thread reuses one validator: what a broken or invalid document left in it must not
        // show up as a violation of the next document
        byte[] valid = Files.readAllBytes(SAMPLES.resolve("CargoPreDeclaration.xml"));
        String text = new String(valid, java.nio.charset.StandardCharsets.UTF_8);
        byte[] truncated = text.substring(0, text.indexOf("</Header>") + 5).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] invalid = text.replaceFirst("<MessageId>", "<Unexpected/><MessageId>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int round = 0; round < 3; round++) {
            assertFalse(CATALOG.validate(truncated).isEmpty());
            assertEquals(List.of(), CATALOG.validate(valid));
            assertFalse(CATALOG.validate(invalid).isEmpty());
            assertEquals(List.of(), CATALOG.validate(valid));
        }
    }

    @Test
    void aDocumentTypeDeclarationIsRefused() {
        byte[] withDtd = ("<?xml version=\"1.0\"?>\n<!DOCTYPE m [<!ENTITY x \"y\">]>\n"
                + "<Message xmlns=\"urn:huunghi-gate:hub:v1\">&x;</Message>").getBytes();
        List<SchemaViolation> violations = CATALOG.validate(withDtd);
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).message().contains("DOCTYPE"), violations::toString);
    }

    static final String FIXTURE_EXPECTATIONS = """
            hs-code-seven-digits.xml|63|/Message/Body/CargoPreDeclaration/GoodsItem/HsCode|cvc-pattern-valid
            container-number-bad-format.xml|50|/Message/Body/CargoPreDeclaration/TransportEquipment/ContainerNumber|cvc-pattern-valid
            missing-message-id.xml|4|/Message/Header/MessageType|cvc-complex-type.2.4.a
            """;
}
