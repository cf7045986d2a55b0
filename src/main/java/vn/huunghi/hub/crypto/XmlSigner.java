package vn.huunghi.hub.crypto;

import java.io.ByteArrayOutputStream;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
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

    // one identity transformer per thread: a new factory per document cost a classpath service
    // lookup each time (docs/performance.md)
    private static final TransformerFactory TRANSFORMERS = TransformerFactory.newDefaultInstance();
    private static final ThreadLocal<Transformer> SERIALIZERS = ThreadLocal.withInitial(() -> {
        try {
            return TRANSFORMERS.newTransformer();
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

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

    public static byte[] serialize(Document document) {
        try {
            Transformer transformer = SERIALIZERS.get();
            transformer.reset();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String defaultAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256;
            case "EC" -> XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256;
            default -> throw new IllegalStateException("No signature algorithm for a " + key.getAlgorithm() + " key");
        };
    }
}
