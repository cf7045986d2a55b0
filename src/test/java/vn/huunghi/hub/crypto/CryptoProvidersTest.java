package vn.huunghi.hub.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.SignatureVerification;

class CryptoProvidersTest {

    @AfterAll
    static void backToTheDefault() {
        CryptoProviders.install(CryptoProviders.ACCP);
    }

    @ParameterizedTest(name = "{0} signs with a {1} key, {2}")
    @CsvSource({
        "accp, hub, SHA256withRSA",
        "accp, hub-ec, SHA256withECDSA",
        "jdk, hub, SHA256withRSA",
        "jdk, hub-ec, SHA256withECDSA"})
    void theChosenProviderSignsAndAPartnerVerifiesWithEitherHubKey(String choice, String stem, String jca) throws Exception {
        assertEquals(choice, CryptoProviders.install(choice)); // accp loads on linux-x86_64, where this runs
        assertEquals(choice, CryptoProviders.active());
        assertEquals(choice.equals("accp") ? "AmazonCorrettoCryptoProvider" : jca.endsWith("RSA") ? "SunRsaSign" : "SunEC",
                Signature.getInstance(jca).getProvider().getName());

        KeyStore keys = PartnerDocuments.keystore(PartnerDocuments.DEV_KEYS.resolve(stem + ".p12"));
        X509Certificate certificate = (X509Certificate) keys.getCertificate(stem);
        Document document = PartnerDocuments.fresh("StatusNotification");
        new XmlSigner((PrivateKey) keys.getKey(stem, "changeit".toCharArray()), certificate).sign(document);
        new SignatureVerification(Set.of(new TrustAnchor(certificate, null)), List.of(),
                SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS).verify(document, Instant.now());
    }

    @Test
    void anUnknownChoiceIsAConfigurationError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CryptoProviders.install("bouncy"));
        assertEquals("hub.crypto.provider must be accp or jdk, not 'bouncy'", error.getMessage());
    }
}
