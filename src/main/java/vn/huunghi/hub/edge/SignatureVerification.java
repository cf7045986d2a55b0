package vn.huunghi.hub.edge;

import java.security.cert.CRL;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.crypto.NationalAlgorithms;

/**
 * Verifies the one enveloped signature a partner document must carry, with Santuario in
 * secure-validation mode, and checks the signer's certificate against the trust anchors at the
 * message's own time. Only the narrow profile the hub signs with is accepted, because each
 * freedom of XML-DSig (several references, ID references, XPath or XSLT transforms, external
 * URIs) is a known way to make a verifier check something other than what the application reads.
 */
public final class SignatureVerification {

    static {
        org.apache.xml.security.Init.init();
        NationalAlgorithms.register();
    }

    static final Set<String> CANONICALIZATIONS = Set.of(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS,
            Canonicalizer.ALGO_ID_C14N_EXCL_WITH_COMMENTS);
    static final Set<String> TRANSFORMS = Set.of(Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
            Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS, Transforms.TRANSFORM_C14N_EXCL_WITH_COMMENTS);
    static final Set<String> DIGESTS = Set.of("http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384", "http://www.w3.org/2001/04/xmlenc#sha512",
            NationalAlgorithms.SM3);
    public static final Set<String> DEFAULT_SIGNATURE_ALGORITHMS = Set.of(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256);
    /** Every algorithm some partner may use; which one a given partner may use is its partner-table entry. */
    public static final Set<String> ALL_SIGNATURE_ALGORITHMS = Set.of(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256, NationalAlgorithms.SM2_SM3);

    private static final String BC = "BC";
    /** Enough for every partner certificate in use; a full cache is emptied rather than evicted piecemeal. */
    private static final int CHAINED_CACHE_SIZE = 1_000;

    private final Set<TrustAnchor> anchors;
    private final List<CRL> crls;
    private final Set<String> signatureAlgorithms;
    /**
     * Certificates already found to chain to the anchors. Without CRLs a path's verdict does not
     * depend on the message's time beyond the validity period, which is checked for every message,
     * so one path validation per certificate is enough; it was 3 % of the hub's CPU under load.
     */
    private final Set<X509Certificate> chained = ConcurrentHashMap.newKeySet();

    public SignatureVerification(Set<TrustAnchor> anchors, List<CRL> crls, Set<String> signatureAlgorithms) {
        this.anchors = anchors;
        this.crls = crls;
        this.signatureAlgorithms = signatureAlgorithms;
    }

    /** A signature that verified: who signed, and with which signature algorithm. */
    public record Signer(X509Certificate certificate, String party, String algorithm) {
    }

    /**
     * Verifies the document's signature as of {@code messageTime} and returns the signer, or throws
     * an {@link EdgeRejection} naming the first thing that is wrong.
     */
    public Signer verify(Document document, Instant messageTime) {
        Element root = document.getDocumentElement();
        Element signatureElement = theOnlySignature(document, root);
        checkProfile(signatureElement);
        try {
            XMLSignature signature = new XMLSignature(signatureElement, "", true);
            X509Certificate certificate = certificateIn(signatureElement);
            if (certificate == null) {
                throw new EdgeRejection(RejectionCode.CERTIFICATE_MISSING, "no X509Certificate in KeyInfo");
            }
            Reference reference = signature.getSignedInfo().item(0);
            if (!reference.verify()) {
                throw new EdgeRejection(RejectionCode.SIGNATURE_DIGEST_MISMATCH,
                        "the digest of the document does not match the signed digest");
            }
            if (!signatureValueVerifies(signature, certificate)) {
                throw new EdgeRejection(RejectionCode.SIGNATURE_VALUE_INVALID,
                        "the signature value does not verify with the certificate in KeyInfo");
            }
            checkCertificate(certificate, messageTime);
            return new Signer(certificate, commonName(certificate), signature.getSignedInfo().getSignatureMethodURI());
        } catch (XMLSecurityException e) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_MALFORMED, e.getMessage());
        }
    }

    /**
     * The signer's certificate from KeyInfo. The JDK cannot parse a certificate for an SM2 key (its
     * curve is unknown to SunEC), so those are parsed, and later path-validated, by BouncyCastle.
     */
    private static X509Certificate certificateIn(Element signature) {
        NodeList certificates = signature.getElementsByTagNameNS(Constants.SignatureSpecNS, "X509Certificate");
        if (certificates.getLength() == 0) {
            return null;
        }
        byte[] encoded = java.util.Base64.getMimeDecoder().decode(certificates.item(0).getTextContent().trim());
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(encoded));
        } catch (java.security.cert.CertificateException jdkCannot) {
            try {
                return (X509Certificate) CertificateFactory.getInstance("X.509", BC)
                        .generateCertificate(new java.io.ByteArrayInputStream(encoded));
            } catch (java.security.GeneralSecurityException e) {
                throw new EdgeRejection(RejectionCode.CERTIFICATE_UNTRUSTED, "the certificate in KeyInfo cannot be read");
            }
        }
    }

    private static boolean parsedByBouncyCastle(X509Certificate certificate) {
        return certificate.getClass().getName().startsWith("org.bouncycastle");
    }

    private static boolean signatureValueVerifies(XMLSignature signature, X509Certificate certificate) {
        try {
            return signature.checkSignatureValue(certificate);
        } catch (XMLSecurityException e) {
            return false; // e.g. a value of the wrong length for the key: as invalid as a wrong value
        }
    }

    private static Element theOnlySignature(Document document, Element root) {
        NodeList signatures = document.getElementsByTagNameNS(Constants.SignatureSpecNS, "Signature");
        if (signatures.getLength() == 0) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_MISSING, "no ds:Signature in the document");
        }
        if (signatures.getLength() > 1) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_MULTIPLE,
                    signatures.getLength() + " ds:Signature elements in the document");
        }
        Element signature = (Element) signatures.item(0);
        if (signature.getParentNode() != root) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_MISSING,
                    "the ds:Signature is not a child of the document root (not enveloped)");
        }
        return signature;
    }

    private void checkProfile(Element signature) {
        Element signedInfo = onlyChild(signature, "SignedInfo");
        if (signedInfo == null) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_MALFORMED, "no SignedInfo");
        }
        String c14n = algorithm(onlyChild(signedInfo, "CanonicalizationMethod"));
        if (!CANONICALIZATIONS.contains(c14n)) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_ALGORITHM_FORBIDDEN, "canonicalization " + c14n);
        }
        String method = algorithm(onlyChild(signedInfo, "SignatureMethod"));
        if (!signatureAlgorithms.contains(method)) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_ALGORITHM_FORBIDDEN, "signature method " + method);
        }
        List<Element> references = children(signedInfo, "Reference");
        if (references.size() != 1) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_REFERENCE_COUNT, references.size() + " references");
        }
        Element reference = references.get(0);
        if (!reference.hasAttribute("URI")) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_REFERENCE_NOT_ROOT, "the reference has no URI");
        }
        String uri = reference.getAttribute("URI");
        if (!uri.isEmpty()) {
            throw uri.startsWith("#")
                    ? new EdgeRejection(RejectionCode.SIGNATURE_REFERENCE_NOT_ROOT,
                            "reference URI '" + uri + "' instead of \"\" (the whole document)")
                    : new EdgeRejection(RejectionCode.SIGNATURE_REFERENCE_EXTERNAL, "reference URI '" + uri + "'");
        }
        boolean enveloped = false;
        Element transforms = onlyChild(reference, "Transforms");
        for (Element transform : transforms == null ? List.<Element>of() : children(transforms, "Transform")) {
            String algorithm = algorithm(transform);
            if (!TRANSFORMS.contains(algorithm)) {
                throw new EdgeRejection(RejectionCode.SIGNATURE_TRANSFORM_FORBIDDEN, "transform " + algorithm);
            }
            enveloped |= Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(algorithm);
        }
        if (!enveloped) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_TRANSFORM_FORBIDDEN,
                    "the enveloped-signature transform is missing");
        }
        String digest = algorithm(onlyChild(reference, "DigestMethod"));
        if (!DIGESTS.contains(digest)) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_ALGORITHM_FORBIDDEN, "digest " + digest);
        }
    }

    private void checkCertificate(X509Certificate certificate, Instant messageTime) {
        Date at = Date.from(messageTime);
        try {
            certificate.checkValidity(at);
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new EdgeRejection(RejectionCode.CERTIFICATE_EXPIRED,
                    certificate.getSubjectX500Principal().getName() + " is not valid at " + messageTime);
        }
        if (crls.isEmpty() && (chained.contains(certificate)
                || anchors.stream().anyMatch(anchor -> certificate.equals(anchor.getTrustedCert())))) {
            // chained before, or pinned: trusted as itself, as when a partner checks the hub's receipts
            return;
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setDate(at);
            parameters.setRevocationEnabled(!crls.isEmpty());
            if (!crls.isEmpty()) {
                parameters.addCertStore(CertStore.getInstance("Collection",
                        new CollectionCertStoreParameters(new ArrayList<>(crls))));
            }
            boolean bc = parsedByBouncyCastle(certificate);
            CertPathValidator validator = bc ? CertPathValidator.getInstance("PKIX", BC) : CertPathValidator.getInstance("PKIX");
            CertificateFactory factory = bc ? CertificateFactory.getInstance("X.509", BC) : CertificateFactory.getInstance("X.509");
            validator.validate(factory.generateCertPath(List.of(certificate)), parameters);
            if (crls.isEmpty()) {
                if (chained.size() >= CHAINED_CACHE_SIZE) {
                    chained.clear();
                }
                chained.add(certificate);
            }
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                throw new EdgeRejection(RejectionCode.CERTIFICATE_REVOKED,
                        certificate.getSubjectX500Principal().getName() + " is revoked");
            }
            throw new EdgeRejection(RejectionCode.CERTIFICATE_UNTRUSTED,
                    certificate.getSubjectX500Principal().getName() + ": " + e.getMessage());
        } catch (java.security.GeneralSecurityException e) {
            throw new EdgeRejection(RejectionCode.CERTIFICATE_UNTRUSTED, e.getMessage());
        }
    }

    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            // fall through: no usable name
        }
        throw new EdgeRejection(RejectionCode.CERTIFICATE_UNTRUSTED, "the signer certificate names no CN");
    }

    private static String algorithm(Element element) {
        return element == null ? "(none)" : element.getAttribute("Algorithm");
    }

    private static Element onlyChild(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.size() == 1 ? found.get(0) : null;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && Constants.SignatureSpecNS.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }
}
