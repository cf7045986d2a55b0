package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigInteger;
import java.net.URL;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.huunghi.hub.crypto.NationalAlgorithms;
import vn.huunghi.hub.crypto.XmlSigner;

@QuarkusTest
class Sm2SignatureTest {

    @TestHTTPResource(value = "/soap/edge", tls = true)
    URL edge;

    @Test
    void anSm2SignatureOverSm3SignsAndVerifies() throws Exception {
        Sm2Identity nanning = Sm2Identity.issue("CN-NANNING-CUSTOMS");
        Document document = PartnerDocuments.fresh("ExportShipmentData");
        byte[] signed = nanning.signer().signToBytes(document);

        SignatureVerification verification = new SignatureVerification(Set.of(new TrustAnchor(nanning.root(), null)),
                List.of(), SignatureVerification.ALL_SIGNATURE_ALGORITHMS);
        SignatureVerification.Signer signer = verification.verify(PartnerDocuments.parse(signed), Instant.now());

        assertEquals("CN-NANNING-CUSTOMS", signer.party());
        assertEquals(NationalAlgorithms.SM2_SM3, signer.algorithm());
        // and one changed character breaks it, as with any other algorithm
        byte[] altered = new String(signed, "UTF-8").replace("Shenzhen", "Shenzhan").getBytes("UTF-8");
        assertEquals(RejectionCode.SIGNATURE_DIGEST_MISMATCH, org.junit.jupiter.api.Assertions.assertThrows(
                EdgeRejection.class, () -> verification.verify(PartnerDocuments.parse(altered), Instant.now())).code());
    }

    @Test
    void nanningCustomsMaySignWithSm2AndTheEdgeAcceptsIt() throws Exception {
        byte[] signed = Sm2Identity.issue("CN-NANNING-CUSTOMS").signer().signToBytes(PartnerDocuments.fresh("ExportShipmentData"));

        PartnerClient.Receipt receipt = new PartnerClient(edge, "cn-nanning-customs").submit(signed);

        assertEquals("ACCEPTED", receipt.verdict(), receipt::toString);
    }

    @Test
    void aPartnerWhoseTableEntryDoesNotListSm2IsRefused() throws Exception {
        byte[] signed = Sm2Identity.issue("VN-NSW").signer().signToBytes(PartnerDocuments.fresh("CargoPreDeclaration"));

        PartnerClient.Receipt receipt = new PartnerClient(edge, "vn-nsw").submit(signed);

        assertEquals(List.of(RejectionCode.SIGNATURE_ALGORITHM_FORBIDDEN.name()), receipt.errorCodes(), receipt::toString);
    }

    /** An SM2 key and a certificate for it, issued by the dev root CA. */
    record Sm2Identity(PrivateKey key, X509Certificate certificate, X509Certificate root) {

        static Sm2Identity issue(String party) throws Exception {
            NationalAlgorithms.register();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BC");
            generator.initialize(new ECGenParameterSpec("sm2p256v1"));
            KeyPair pair = generator.generateKeyPair();
            X509Certificate root;
            try (var in = Files.newInputStream(TestPki.DEV.resolve("root-ca.pem"))) {
                root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            String pem = Files.readString(TestPki.DEV.resolve("root-ca.key"))
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey rootKey = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            Instant now = Instant.now();
            X509Certificate certificate = new JcaX509CertificateConverter().setProvider("BC").getCertificate(new JcaX509v3CertificateBuilder(
                    new JcaX509CertificateHolder(root).getSubject(), BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Name("CN=" + party + ",OU=sm2,O=Test,C=CN"), pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(rootKey)));
            return new Sm2Identity(pair.getPrivate(), certificate, root);
        }

        XmlSigner signer() {
            return new XmlSigner(key, certificate, NationalAlgorithms.SM2_SM3, NationalAlgorithms.SM3);
        }
    }
}
