package vn.huunghi.hub.crypto;

import java.security.Security;
import org.apache.xml.security.algorithms.JCEMapper;
import org.apache.xml.security.algorithms.SignatureAlgorithm;
import org.apache.xml.security.algorithms.implementations.SignatureBaseRSA;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.XMLSignatureException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * China's national algorithms for XML signatures, as China's customs systems (E-Port) sign: SM2
 * over an SM3 digest. BouncyCastle supplies them; they are registered with Santuario under URIs
 * built from their OIDs (GB/T 32918, GB/T 32905), beside the W3C RSA and ECDSA ones.
 */
public final class NationalAlgorithms {

    /** SM2 signature with SM3 (OID 1.2.156.10197.1.501); the value is the DER signature BouncyCastle produces. */
    public static final String SM2_SM3 = "urn:oid:1.2.156.10197.1.501";
    /** SM3 digest (OID 1.2.156.10197.1.401). */
    public static final String SM3 = "urn:oid:1.2.156.10197.1.401";

    private static boolean registered;

    private NationalAlgorithms() {
    }

    public static synchronized void register() {
        if (registered) {
            return;
        }
        org.apache.xml.security.Init.init();
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            // appended, not first: the JDK keeps serving every algorithm it has
            Security.addProvider(new BouncyCastleProvider());
        }
        JCEMapper.register(SM3, new JCEMapper.Algorithm("", "SM3", "MessageDigest"));
        JCEMapper.register(SM2_SM3, new JCEMapper.Algorithm("EC", "SM3withSM2", "Signature"));
        try {
            SignatureAlgorithm.register(SM2_SM3, Sm2WithSm3.class);
        } catch (XMLSecurityException | ClassNotFoundException e) {
            throw new IllegalStateException("SM2 cannot be registered with Santuario", e);
        }
        registered = true;
    }

    /** Santuario's signature SPI for SM2-with-SM3; the generic JCA plumbing of its RSA base class fits as is. */
    public static final class Sm2WithSm3 extends SignatureBaseRSA {

        public Sm2WithSm3() throws XMLSignatureException {
            super(Security.getProvider(BouncyCastleProvider.PROVIDER_NAME));
        }

        @Override
        public String engineGetURI() {
            return SM2_SM3;
        }
    }
}
