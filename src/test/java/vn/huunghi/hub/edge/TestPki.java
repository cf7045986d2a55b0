package vn.huunghi.hub.edge;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import vn.huunghi.hub.crypto.HubKeys;

/**
 * Key material the dev PKI does not have, made before the hub starts: a partner certificate that
 * has expired, one the dev root has revoked, one with an ECDSA P-256 key (with the CRL that says so, configured as
 * hub.crypto.crls), and a self-signed one nobody trusts. All claim to be VN-NSW.
 */
public class TestPki implements QuarkusTestResourceLifecycleManager {

    static final Path DEV = Path.of("certs-dev/out");
    static final Path DIR = Path.of("target/test-pki");
    static final char[] PASSWORD = "changeit".toCharArray();

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(DIR);
            X509Certificate root = certificate(DEV.resolve("root-ca.pem"));
            PrivateKey rootKey = pkcs8(DEV.resolve("root-ca.key"));
            Instant now = Instant.now();

            issue(root, rootKey, BigInteger.valueOf(1001), now.minus(Duration.ofDays(800)),
                    now.minus(Duration.ofDays(400)), "expired");
            issue(root, rootKey, BigInteger.valueOf(1002), now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(365)), "revoked");
            selfSigned(now);
            issueEc(root, rootKey, BigInteger.valueOf(1003), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));

            X509v2CRLBuilder crl = new X509v2CRLBuilder(new JcaX509CertificateHolder(root).getSubject(),
                    Date.from(now.minus(Duration.ofHours(1))));
            crl.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
            crl.addCRLEntry(BigInteger.valueOf(1002), Date.from(now.minus(Duration.ofMinutes(30))),
                    CRLReason.keyCompromise);
            Files.write(DIR.resolve("dev-root.crl"), crl.build(signer(rootKey)).getEncoded());
            return Map.of("hub.crypto.crls", DIR.resolve("dev-root.crl").toString());
        } catch (Exception e) {
            throw new IllegalStateException("test PKI", e);
        }
    }

    @Override
    public void stop() {
    }

    static KeyStore keystore(String name) throws Exception {
        return HubKeys.load(DIR.resolve(name + ".p12"), "changeit");
    }

    private static void issue(X509Certificate root, PrivateKey rootKey, BigInteger serial, Instant from, Instant to,
            String name) throws Exception {
        KeyPair pair = rsa();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(new JcaX509CertificateHolder(root).getSubject(), serial,
                        Date.from(from), Date.from(to), new X500Name("CN=VN-NSW,OU=" + name + ",O=Test,C=VN"),
                        pair.getPublic()).build(signer(rootKey)));
        save(name, pair.getPrivate(), new X509Certificate[] {certificate, root});
    }

    private static void issueEc(X509Certificate root, PrivateKey rootKey, BigInteger serial, Instant from, Instant to)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(new JcaX509CertificateHolder(root).getSubject(), serial,
                        Date.from(from), Date.from(to), new X500Name("CN=VN-NSW,OU=ecdsa,O=Test,C=VN"),
                        pair.getPublic()).build(signer(rootKey)));
        save("ecdsa", pair.getPrivate(), new X509Certificate[] {certificate, root});
    }

    private static void selfSigned(Instant now) throws Exception {
        KeyPair pair = rsa();
        X500Name name = new X500Name("CN=VN-NSW,OU=untrusted,O=Somebody Else,C=VN");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(7), Date.from(now.minus(Duration.ofDays(1))),
                        Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic()).build(signer(pair.getPrivate())));
        save("untrusted", pair.getPrivate(), new X509Certificate[] {certificate});
    }

    private static void save(String name, PrivateKey key, X509Certificate[] chain) throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        keystore.load(null, null);
        keystore.setKeyEntry(name, key, PASSWORD, chain);
        try (OutputStream out = Files.newOutputStream(DIR.resolve(name + ".p12"))) {
            keystore.store(out, PASSWORD);
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withRSA").build(key);
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey pkcs8(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
