package vn.huunghi.hub.edge;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.catalog.SecureXml;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.crypto.XmlSigner;

/** Builds partner documents for tests: a catalog sample with a fresh header, signed with a party's key. */
public final class PartnerDocuments {

    public static final Path SAMPLES = Path.of("schemas/v1/samples");
    public static final Path DEV_KEYS = Path.of("certs-dev/out");
    // a PKCS#12 load (three PBKDF2 derivations) costs 3 to 5 ms of CPU: loaded once per party, not per
    // document, so that the load generator and the kill tests leave that CPU to the hub (docs/performance.md)
    private static final Map<String, KeyStore> DEV_KEY_STORES = new ConcurrentHashMap<>();
    private static final Map<String, XmlSigner> DEV_SIGNERS = new ConcurrentHashMap<>();

    private PartnerDocuments() {
    }

    /** The sample, with a new messageId and createdAt = now, as a DOM to change further. */
    public static Document fresh(String sample) {
        Document document = parse(read(SAMPLES.resolve(sample + ".xml")));
        header(document, "MessageId", UUID.randomUUID().toString());
        header(document, "CreatedAt", java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.ofHours(7))));
        return document;
    }

    /** A fresh sample signed by the party named in its header. */
    public static byte[] signed(String sample) {
        Document document = fresh(sample);
        return sign(document, headerValue(document, "Sender").toLowerCase());
    }

    public static byte[] sign(Document document, String devParty) {
        return DEV_SIGNERS.computeIfAbsent(devParty, party -> signer(devKeyStore(party), party))
                .signToBytes(document);
    }

    public static byte[] sign(Document document, KeyStore keystore, String alias) {
        return signer(keystore, alias).signToBytes(document);
    }

    /** Signs with Santuario directly, letting a test shape the signature the hub should refuse. */
    public static byte[] signCustom(Document document, String devParty, String signatureMethod, boolean keyInfo,
            Consumer<Transforms> extraTransforms) {
        try {
            KeyStore keystore = devKeyStore(devParty);
            PrivateKey key = (PrivateKey) keystore.getKey(devParty, "changeit".toCharArray());
            X509Certificate certificate = (X509Certificate) keystore.getCertificate(devParty);
            XMLSignature signature = new XMLSignature(document, "", signatureMethod,
                    Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            document.getDocumentElement().appendChild(signature.getElement());
            Transforms transforms = new Transforms(document);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            extraTransforms.accept(transforms);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("", transforms, "http://www.w3.org/2001/04/xmlenc#sha256");
            if (keyInfo) {
                signature.addKeyInfo(certificate);
            }
            signature.sign(key);
            return XmlSigner.serialize(document);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static XmlSigner signer(KeyStore keystore, String alias) {
        try {
            return new XmlSigner((PrivateKey) keystore.getKey(alias, "changeit".toCharArray()),
                    (X509Certificate) keystore.getCertificate(alias));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore devKeyStore(String devParty) {
        return DEV_KEY_STORES.computeIfAbsent(devParty, party -> keystore(DEV_KEYS.resolve(party + ".p12")));
    }

    public static KeyStore keystore(Path file) {
        try {
            return HubKeys.load(file, "changeit");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void header(Document document, String name, String value) {
        Element element = (Element) document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name).item(0);
        element.setTextContent(value);
    }

    public static String headerValue(Document document, String name) {
        return document.getElementsByTagNameNS(MessageCatalog.NAMESPACE_V1, name).item(0).getTextContent();
    }

    public static Document parse(byte[] xml) {
        try {
            return SecureXml.documentBuilderFactory().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
