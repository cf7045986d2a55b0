package vn.huunghi.hub.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import vn.huunghi.hub.HubConfig;

/** The one place that loads the hub's signing key, the partners' trust anchors and the revocation lists. */
@ApplicationScoped
public class HubKeys {

    private final PrivateKey signingKey;
    private final X509Certificate signingCertificate;
    private final Set<TrustAnchor> trustAnchors;
    private final List<CRL> revocationLists;
    private final String provider;

    HubKeys(HubConfig config) {
        HubConfig.Crypto crypto = config.crypto();
        provider = CryptoProviders.install(crypto.provider()); // before any key is used
        try {
            KeyStore keystore = load(crypto.keystore(), crypto.keystorePassword());
            signingKey = (PrivateKey) keystore.getKey(crypto.keyAlias(), crypto.keystorePassword().toCharArray());
            signingCertificate = (X509Certificate) keystore.getCertificate(crypto.keyAlias());
            if (signingKey == null || signingCertificate == null) {
                throw new IllegalStateException("No key entry '" + crypto.keyAlias() + "' in " + crypto.keystore());
            }
            trustAnchors = anchors(load(crypto.truststore(), crypto.truststorePassword()));
            revocationLists = crls(crypto.crls().orElse(List.of()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Hub key material cannot be loaded: " + e.getMessage(), e);
        }
    }

    public XmlSigner signer() {
        return new XmlSigner(signingKey, signingCertificate);
    }

    /** What signs and verifies: accp or jdk (hub.crypto.provider, after the fallback). */
    public String provider() {
        return provider;
    }

    public X509Certificate signingCertificate() {
        return signingCertificate;
    }

    public Set<TrustAnchor> trustAnchors() {
        return trustAnchors;
    }

    public List<CRL> revocationLists() {
        return revocationLists;
    }

    /**
     * TLS with the key and certificate in {@code keystore} to present and the anchors in
     * {@code truststore} to check the other side with: both ends of every mutual-TLS link.
     */
    public static SSLContext tls(Path keystore, String keystorePassword, Path truststore, String truststorePassword)
            throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keystore, keystorePassword), keystorePassword.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(truststore, truststorePassword));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    public static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keystore.load(in, password.toCharArray());
        }
        return keystore;
    }

    public static Set<TrustAnchor> anchors(KeyStore truststore) throws GeneralSecurityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (String alias : Collections.list(truststore.aliases())) {
            if (truststore.isCertificateEntry(alias)) {
                anchors.add(new TrustAnchor((X509Certificate) truststore.getCertificate(alias), null));
            }
        }
        if (anchors.isEmpty()) {
            throw new GeneralSecurityException("the trust store holds no trusted certificate");
        }
        return Set.copyOf(anchors);
    }

    private static List<CRL> crls(List<Path> files) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<CRL> crls = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                crls.addAll(factory.generateCRLs(in));
            }
        }
        return List.copyOf(crls);
    }
}
