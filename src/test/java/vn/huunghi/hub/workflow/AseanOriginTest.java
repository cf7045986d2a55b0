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
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.TestCargo;

@QuarkusTest
class AseanOriginTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Inject
    CargoUnitQueries queries;

    @Test
    void anAseanOriginClaimWithoutItsCertificateIsFlaggedUntilTheEFormDArrivesAndTheAcddIsAttached() {
        String malaysian = "MY-2026-AK-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String vietnamese = "VN-MY-2026-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        TestCargo cargo = TestCargo.of("CargoPreDeclaration"); // item 1 claims vietnamese, item 2 malaysian
        NodeList claims = cargo.document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "PreferentialOriginCertificate");
        claims.item(0).setTextContent(vietnamese);
        claims.item(1).setTextContent(malaysian);
        submit(cargo.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(cargo.reference()).isPresent());
        String unit = queries.byDeclarationReference(cargo.reference()).orElseThrow().id();
        assertEquals(List.of("1: " + vietnamese + " MISSING", "2: " + malaysian + " MISSING"), queries.originClaims(unit));
        assertTrue(queries.timeline(unit).stream().anyMatch(e -> e.kind().equals("ORIGIN_CERTIFICATE_MISSING")));

        Document certificate = PartnerDocuments.fresh("OriginCertificate");
        set(certificate, "CertificateNumber", malaysian);
        awaitApplied(submit(certificate, "asean-sw"));
        assertEquals(List.of("1: " + vietnamese + " MISSING", "2: " + malaysian + " LINKED"), queries.originClaims(unit));

        Document acdd = PartnerDocuments.fresh("AseanCustomsDeclaration");
        String acddReference = "ACDD-MY-VN-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        set(acdd, "AcddReference", acddReference);
        set(acdd, "OriginCertificateNumber", malaysian);
        awaitApplied(submit(acdd, "asean-sw"));
        assertEquals("2: " + malaysian + " LINKED " + acddReference, queries.originClaims(unit).get(1));
    }

    @Test
    void aCertificateThatDoesNotCoverTheItemsHsSubheadingIsNotALink() {
        String number = "MY-2026-AK-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        Document certificate = PartnerDocuments.fresh("OriginCertificate");
        set(certificate, "CertificateNumber", number);
        set(certificate, "HsSubheading", "850440");
        awaitApplied(submit(certificate, "asean-sw"));

        TestCargo cargo = TestCargo.of("CargoPreDeclaration");
        cargo.document().getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, "PreferentialOriginCertificate").item(1)
                .setTextContent(number);
        submit(cargo.document(), "vn-nsw");
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.byDeclarationReference(cargo.reference()).isPresent());
        String unit = queries.byDeclarationReference(cargo.reference()).orElseThrow().id();

        assertEquals("2: " + number + " NOT_COVERED", queries.originClaims(unit).get(1));
    }

    private void awaitApplied(String messageId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> queries.outcomeOf(messageId).filter("APPLIED"::equals).isPresent());
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
