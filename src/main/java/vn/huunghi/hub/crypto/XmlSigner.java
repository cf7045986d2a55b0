package vn.huunghi.hub.crypto;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.apache.xml.security.utils.ElementProxy;
import org.w3c.dom.Document;

/**
 * Signs a whole document with an enveloped signature, the only form partners and the hub accept:
 * one reference to the document root (URI=""), enveloped-signature plus exclusive C14N, SHA-256.
 */
public final class XmlSigner {

    static {
        org.apache.xml.security.Init.init();
        NationalAlgorithms.register();
        try {
            ElementProxy.setDefaultPrefix(Constants.SignatureSpecNS, "ds");
        } catch (XMLSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String signatureAlgorithm;
    private final String digestAlgorithm;

    public XmlSigner(PrivateKey key, X509Certificate certificate) {
        this(key, certificate, defaultAlgorithm(key), org.apache.xml.security.algorithms.MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);
    }

    /** A signer for another algorithm pair, such as {@link NationalAlgorithms#SM2_SM3} with {@link NationalAlgorithms#SM3}. */
    public XmlSigner(PrivateKey key, X509Certificate certificate, String signatureAlgorithm, String digestAlgorithm) {
        this.key = key;
        this.certificate = certificate;
        this.signatureAlgorithm = signatureAlgorithm;
        this.digestAlgorithm = digestAlgorithm;
    }

    /** Appends a ds:Signature as the last child of the document's root. */
    public void sign(Document document) {
        try {
            XMLSignature signature = new XMLSignature(document, "", signatureAlgorithm,
                    Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            document.getDocumentElement().appendChild(signature.getElement());
            Transforms transforms = new Transforms(document);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("", transforms, digestAlgorithm);
            signature.addKeyInfo(certificate);
            signature.sign(key);
        } catch (XMLSecurityException e) {
            throw new IllegalStateException("Signing failed: " + e.getMessage(), e);
        }
    }

    /** Signs and serializes without reformatting, so that the bytes sent are the bytes signed. */
    public byte[] signToBytes(Document document) {
        sign(document);
        return serialize(document);
    }

    /** The document as UTF-8 bytes, unformatted, with its XML declaration. */
    public static byte[] serialize(Document document) {
        return DocumentWriter.write(document);
    }

    private static String defaultAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256;
            case "EC" -> XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256;
            default -> throw new IllegalStateException("No signature algorithm for a " + key.getAlgorithm() + " key");
        };
    }
}
