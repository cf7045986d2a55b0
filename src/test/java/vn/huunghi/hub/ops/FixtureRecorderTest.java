package vn.huunghi.hub.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.SoapEnvelope;
import vn.huunghi.hub.edge.TestCargo;

/** The recorder (on in tests: hub.recorder.dir) writes what came in, with its verdict, and what went out. */
@QuarkusTest
class FixtureRecorderTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    HubConfig config;

    @Test
    void everyInboundDocumentWithItsVerdictAndEveryDeliveredOutboundDocumentIsRecorded() throws Exception {
        Path recorded = config.recorder().dir().orElseThrow();
        TestCargo cargo = TestCargo.of("CargoPreDeclaration-ic-import");
        byte[] signed = PartnerDocuments.sign(cargo.document(), "vn-nsw");
        assertEquals("ACCEPTED", new PartnerClient(edge, "vn-nsw").submit(signed).verdict());
        byte[] forged = PartnerDocuments.sign(TestCargo.of("CargoPreDeclaration-ic-import").document(), "vn-customs");
        assertEquals("REJECTED", new PartnerClient(edge, "vn-customs").submit(forged).verdict());

        Path inbound = await().atMost(Duration.ofSeconds(5)).until(() -> find(recorded.resolve("inbound"), cargo.reference()),
                java.util.Objects::nonNull);
        byte[] inTheEnvelope = java.util.Arrays.copyOfRange(signed, SoapEnvelope.afterXmlDeclaration(signed), signed.length);
        assertArrayEquals(inTheEnvelope, Files.readAllBytes(inbound), "recorded byte for byte as it sat in the SOAP body");
        assertTrue(inbound.getFileName().toString().endsWith("-VN-NSW-CargoPreDeclaration.xml"), inbound.toString());
        List<String> verdicts = Files.readAllLines(recorded.resolve("inbound.txt"));
        assertTrue(verdicts.contains(inbound.getFileName() + " ACCEPTED"), verdicts.toString());
        assertTrue(verdicts.stream().anyMatch(v -> v.contains("-VN-CUSTOMS-CargoPreDeclaration.xml REJECTED SENDER_NOT_SIGNER")),
                verdicts.toString());

        // the declarant's status notification, as the hub signed and delivered it
        Path outbound = await().atMost(Duration.ofSeconds(20)).until(() -> find(recorded.resolve("outbound/VN-NSW"),
                cargo.reference()), java.util.Objects::nonNull);
        String notification = Files.readString(outbound, StandardCharsets.UTF_8);
        assertTrue(outbound.getFileName().toString().endsWith("-StatusNotification.xml"), outbound.toString());
        assertTrue(notification.contains("<Sender>HUB</Sender>") && notification.contains("SignatureValue"), notification);
    }

    private static Path find(Path folder, String text) throws Exception {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> contains(file, text)).findFirst().orElse(null);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).contains(text);
        } catch (Exception e) {
            return false;
        }
    }
}
