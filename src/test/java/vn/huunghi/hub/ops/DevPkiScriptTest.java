package vn.huunghi.hub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPkiScriptTest {

    static final List<String> PARTIES = List.of("HUB", "VN-NSW", "ASEAN-SW", "CN-NANNING-CUSTOMS", "VN-CUSTOMS",
            "VN-BORDER-GUARD", "VN-PLANT-QUARANTINE", "VN-ANIMAL-QUARANTINE", "VN-HEALTH-QUARANTINE",
            "VN-PORT-OPERATOR", "EQUIPMENT-GATEWAY", "HUB-OPERATOR");
    static final char[] DEV_PASSWORD = "changeit".toCharArray();

    @TempDir
    Path out;

    @Test
    void runsTwiceInARowAndEveryPartyKeyChainsToTheDevRoot() throws Exception {
        run();
        run();

        KeyStore truststore = load(out.resolve("truststore.p12"));
        X509Certificate root = (X509Certificate) truststore.getCertificate("dev-root-ca");
        PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        pkix.setRevocationEnabled(false);
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");

        for (String party : PARTIES) {
            String stem = party.toLowerCase();
            KeyStore keystore = load(out.resolve(stem + ".p12"));
            assertTrue(keystore.isKeyEntry(stem), party + " keystore holds its private key under alias " + stem);
            X509Certificate[] chain = Arrays.stream(keystore.getCertificateChain(stem))
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            assertEquals("CN=" + party, chain[0].getSubjectX500Principal().getName().split(",")[0]);
            CertPathValidator.getInstance("PKIX")
                    .validate(certificates.generateCertPath(List.of(chain[0])), pkix);
        }
        // the hub's second signing key: ECDSA P-256, same name, same root
        KeyStore ec = load(out.resolve("hub-ec.p12"));
        X509Certificate hubEc = (X509Certificate) ec.getCertificate("hub-ec");
        assertEquals("EC", ec.getKey("hub-ec", DEV_PASSWORD).getAlgorithm());
        assertEquals("CN=HUB", hubEc.getSubjectX500Principal().getName().split(",")[0]);
        CertPathValidator.getInstance("PKIX").validate(certificates.generateCertPath(List.of(hubEc)), pkix);
    }

    private void run() throws Exception {
        Process process = new ProcessBuilder("bash", "certs-dev/generate.sh", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "generate.sh finished");
        assertEquals(0, process.exitValue(), output);
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keystore.load(in, DEV_PASSWORD);
        }
        return keystore;
    }
}
