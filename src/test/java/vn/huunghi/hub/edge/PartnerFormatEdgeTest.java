package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.catalog.ContainerNumber;
import vn.huunghi.hub.workflow.CargoUnitQueries;

@QuarkusTest
class PartnerFormatEdgeTest {

    static final String DEC = "urn:cn:nanning-customs:dec:v1";

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    CargoUnitQueries queries;

    @Test
    void nanningMaySendInItsOwnFormatWhichIsVerifiedAsSignedAndQueuedAsTheCanonicalMessage() {
        Document dec = nanningDeclaration();
        String messageId = dec.getElementsByTagNameNS(DEC, "MessageId").item(0).getTextContent();

        PartnerClient.Receipt receipt = new PartnerClient(edge, "cn-nanning-customs")
                .submit(PartnerDocuments.sign(dec, "cn-nanning-customs"));

        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.outcomeOf(messageId).filter("APPLIED"::equals).isPresent());
    }

    @Test
    void nanningsFormatSignedBySomeoneElseIsRefused() {
        PartnerClient.Receipt receipt = new PartnerClient(edge, "vn-nsw")
                .submit(PartnerDocuments.sign(nanningDeclaration(), "vn-nsw"));

        assertEquals(List.of(RejectionCode.SENDER_NOT_SIGNER.name()), receipt.errorCodes(), receipt::toString);
    }

    private static Document nanningDeclaration() {
        Document dec = PartnerDocuments.parse(PartnerDocuments.read(
                java.nio.file.Path.of("src/test/resources/fixtures/mapping-nanning/export-shipment.nanning.xml")));
        dec.getElementsByTagNameNS(DEC, "MessageId").item(0).setTextContent(UUID.randomUUID().toString());
        dec.getElementsByTagNameNS(DEC, "SendTime").item(0).setTextContent(
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(ZoneOffset.ofHours(8))));
        dec.getElementsByTagNameNS(DEC, "ForeignDeclNo").item(0).setTextContent("TEST-" + UUID.randomUUID());
        String firstTen = "CXDU" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        String container = firstTen + ContainerNumber.checkDigit(firstTen);
        var ids = dec.getElementsByTagNameNS(DEC, "ContainerId");
        for (int i = 0; i < ids.getLength(); i++) {
            ids.item(i).setTextContent(container);
        }
        return dec;
    }
}
