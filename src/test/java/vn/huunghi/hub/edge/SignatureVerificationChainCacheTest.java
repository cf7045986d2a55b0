package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.HubKeys;

/**
 * A certificate whose path validated once is not validated again (without CRLs the verdict cannot
 * change), but its validity period is still checked at every message's own time, and a
 * certificate that did not chain is refused every time.
 */
class SignatureVerificationChainCacheTest {

    private static final byte[] SIGNED = PartnerDocuments.signed(EdgeRejectionTest.SAMPLE);

    @Test
    void aCertificateThatChainedOnceIsStillRefusedOutsideItsValidity() throws Exception {
        SignatureVerification verification = new SignatureVerification(HubKeys.anchors(PartnerDocuments.keystore(
                PartnerDocuments.DEV_KEYS.resolve("truststore.p12"))), List.of(),
                SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        SignatureVerification.Signer signer = verification.verify(HubDocuments.parse(SIGNED), Instant.now());
        assertEquals("VN-NSW", signer.party());
        X509Certificate certificate = signer.certificate();

        Instant afterExpiry = certificate.getNotAfter().toInstant().plus(Duration.ofDays(1));
        Instant beforeIssue = certificate.getNotBefore().toInstant().minus(Duration.ofDays(1));
        for (Instant at : List.of(afterExpiry, beforeIssue)) {
            EdgeRejection refused = assertThrows(EdgeRejection.class,
                    () -> verification.verify(HubDocuments.parse(SIGNED), at));
            assertEquals(RejectionCode.CERTIFICATE_EXPIRED, refused.code(), at.toString());
        }
        assertEquals("VN-NSW", verification.verify(HubDocuments.parse(SIGNED), Instant.now()).party());
    }

    @Test
    void aCertificateThatDidNotChainIsRefusedEveryTime() throws Exception {
        X509Certificate someoneElse = (X509Certificate) PartnerDocuments.keystore(
                PartnerDocuments.DEV_KEYS.resolve("vn-customs.p12")).getCertificate("vn-customs");
        SignatureVerification pinnedToCustoms = new SignatureVerification(Set.of(new TrustAnchor(someoneElse, null)),
                List.of(), SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        for (int attempt = 0; attempt < 2; attempt++) {
            EdgeRejection refused = assertThrows(EdgeRejection.class,
                    () -> pinnedToCustoms.verify(HubDocuments.parse(SIGNED), Instant.now()));
            assertEquals(RejectionCode.CERTIFICATE_UNTRUSTED, refused.code());
        }
    }
}
