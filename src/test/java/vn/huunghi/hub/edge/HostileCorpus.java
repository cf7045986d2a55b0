package vn.huunghi.hub.edge;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.xml.security.signature.XMLSignature;
import org.w3c.dom.Document;
import vn.huunghi.hub.catalog.MessageCatalog;

import static vn.huunghi.hub.edge.RejectionCode.*;

/**
 * A generated corpus of mutated and malicious requests for the partner edge, each with the
 * rejection codes that correctly name its cause: truncations, byte flips in signed content and in
 * the signature, signature-wrapping variants, entity bombs, external entities and XInclude,
 * oversize requests, deep nesting and element floods, wrong namespaces, and wrong certificates.
 * Deterministic for a seed, so a failure names a case that can be generated again.
 */
public final class HostileCorpus {

    static final String NSW = "vn-nsw";
    private static final String[] SAMPLES = {"CargoPreDeclaration", "CargoPreDeclaration-dragon-fruit-export",
        "CargoPreDeclaration-ic-import"};

    /** One hostile request: what it is, the request as sent, and the codes that name its cause. */
    public record Case(String name, Supplier<byte[]> request, Set<RejectionCode> causes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final Random random;
    private final List<Case> cases = new ArrayList<>();

    private HostileCorpus(long seed) {
        this.random = new Random(seed);
    }

    public static List<Case> generate(long seed) {
        HostileCorpus corpus = new HostileCorpus(seed);
        corpus.truncations(80);
        corpus.signedContentFlips(100);
        corpus.signatureFlips(40);
        corpus.signatureWrapping(40);
        corpus.entityBombs(30);
        corpus.externalEntities(30);
        corpus.oversize(6);
        corpus.nesting(40);
        corpus.wrongNamespaces(50);
        corpus.wrongCertificates(60);
        corpus.soapMisuse(30);
        return List.copyOf(corpus.cases);
    }

    // ------------------------------------------------------------------ families

    private void truncations(int count) {
        for (int i = 0; i < count; i++) {
            byte[] whole = SoapEnvelope.wrap(signedSample());
            int at = 1 + random.nextInt(whole.length - 2);
            add("truncated-at-" + at, slice(whole, at), XML_MALFORMED);
        }
        // cut inside the character references Santuario writes into base64 values (&#13;)
        byte[] whole = SoapEnvelope.wrap(signedSample());
        int reference = text(whole).indexOf("&#13;");
        if (reference > 0) {
            for (int cut = 1; cut < 5; cut++) {
                add("truncated-inside-a-character-reference-" + cut, slice(whole, reference + cut), XML_MALFORMED);
            }
        }
    }

    /** One letter or digit of the signed text changed to another: the digest no longer matches. */
    private void signedContentFlips(int count) {
        for (int i = 0; i < count; i++) {
            String xml = text(signedSample());
            int from = xml.indexOf("<Body>");
            int to = xml.indexOf("<ds:Signature");
            int at;
            do {
                at = from + random.nextInt(to - from);
            } while (!Character.isLetterOrDigit(xml.charAt(at)) || insideTag(xml, at));
            char original = xml.charAt(at);
            char changed = Character.isDigit(original) ? (char) ('0' + (original - '0' + 1 + random.nextInt(8)) % 10)
                    : original == 'x' ? 'y' : 'x';
            add("signed-text-changed-at-" + at, soapBytes(xml.substring(0, at) + changed + xml.substring(at + 1)),
                    SIGNATURE_DIGEST_MISMATCH, SCHEMA_INVALID, CONTAINER_CHECK_DIGIT_INVALID);
        }
    }

    private void signatureFlips(int count) {
        for (int i = 0; i < count; i++) {
            String xml = text(signedSample());
            boolean inValue = i % 2 == 0;
            String open = inValue ? "<ds:SignatureValue>" : "<ds:DigestValue>";
            int start = xml.indexOf(open) + open.length();
            int end = xml.indexOf('<', start);
            int at;
            do { // a base64 character, never the &#13; line breaks Santuario writes between them
                at = start + random.nextInt(end - start - 2);
            } while (!Character.isLetterOrDigit(xml.charAt(at)) || xml.charAt(at - 1) == '#' || xml.charAt(at - 2) == '#');
            char replacement = xml.charAt(at) == 'Q' ? 'R' : 'Q';
            add((inValue ? "signature-value" : "digest-value") + "-changed-at-" + at,
                    soapBytes(xml.substring(0, at) + replacement + xml.substring(at + 1)),
                    inValue ? EnumSet.of(SIGNATURE_VALUE_INVALID) : EnumSet.of(SIGNATURE_DIGEST_MISMATCH));
        }
    }

    /** The signed body is kept somewhere the verifier may look while a forged one sits where the hub reads. */
    private void signatureWrapping(int count) {
        String[] forgeries = {"Assorted spare parts", "Empty pallets", "Returned packaging", "Samples, no value"};
        for (int i = 0; i < count; i++) {
            String xml = text(signedSample());
            String body = xml.substring(xml.indexOf("<Body>"), xml.indexOf("</Body>") + "</Body>".length());
            String forged = body.replaceFirst("<Description>[^<]*</Description>",
                    "<Description>" + forgeries[random.nextInt(forgeries.length)] + "</Description>");
            switch (i % 5) {
                case 0 -> add("wrapping-by-id-in-object-" + i, soapBytes(xml.replace(body, forged)
                        .replace("URI=\"\"", "URI=\"#signed-body\"")
                        .replace("</ds:Signature>", "<ds:Object>" + body.replace("<Body>", "<Body Id=\"signed-body\">")
                                + "</ds:Object></ds:Signature>")), SIGNATURE_REFERENCE_NOT_ROOT);
                case 1 -> add("wrapping-root-kept-original-in-object-" + i, soapBytes(xml.replace(body, forged)
                        .replace("</ds:Signature>", "<ds:Object>" + body + "</ds:Object></ds:Signature>")),
                        SIGNATURE_DIGEST_MISMATCH, SCHEMA_INVALID);
                case 2 -> add("wrapping-signed-message-beside-a-forged-one-" + i, soapBytes(xml.replace(body, forged)
                        .replace("</Message>", "</Message>" + xml.substring(xml.indexOf("<Message")))),
                        XML_MALFORMED, SOAP_ENVELOPE_INVALID);
                case 3 -> add("wrapping-two-documents-in-soap-body-" + i, SoapEnvelope.wrap(PartnerClient.concat(
                        bytes(xml.replace(body, forged)),
                        xml.substring(xml.indexOf("<Message")).getBytes(StandardCharsets.UTF_8))), SOAP_ENVELOPE_INVALID);
                default -> add("wrapping-id-reference-to-header-" + i, soapBytes(xml.replace(body, forged)
                        .replace("URI=\"\"", "URI=\"#h" + i + "\"").replace("<Header>", "<Header Id=\"h" + i + "\">")),
                        SIGNATURE_REFERENCE_NOT_ROOT, SCHEMA_INVALID);
            }
        }
    }

    private void entityBombs(int count) {
        for (int i = 0; i < count; i++) {
            int levels = 3 + random.nextInt(8);
            StringBuilder dtd = new StringBuilder("<!DOCTYPE Envelope [<!ENTITY l0 \"lol\">");
            for (int level = 1; level <= levels; level++) {
                dtd.append("<!ENTITY l").append(level).append(" \"").append(("&l" + (level - 1) + ";").repeat(10)).append("\">");
            }
            String quadratic = "<!ENTITY big \"" + "x".repeat(10_000 + random.nextInt(50_000)) + "\">";
            String request = i % 2 == 0
                    ? dtd + "]>" + envelope("<Message>&l" + levels + ";</Message>")
                    : "<!DOCTYPE Envelope [" + quadratic + "]>" + envelope("<Message>" + "&big;".repeat(1000) + "</Message>");
            add((i % 2 == 0 ? "billion-laughs-" + levels + "-levels-" : "quadratic-blowup-") + i, bytes(request),
                    XML_DTD_FORBIDDEN);
        }
    }

    private void externalEntities(int count) {
        String[] targets = {"file:///etc/passwd", "file:///etc/hostname", "http://127.0.0.1:9/x", "https://example.org/x.dtd",
            "jar:file:///tmp/x.jar!/x", "netdoc:/etc/passwd", "ftp://127.0.0.1:9/x"};
        for (int i = 0; i < count; i++) {
            String target = targets[random.nextInt(targets.length)];
            String request = switch (i % 4) {
                case 0 -> "<!DOCTYPE Envelope [<!ENTITY x SYSTEM \"" + target + "\">]>" + envelope("<Message>&x;</Message>");
                case 1 -> "<!DOCTYPE Envelope [<!ENTITY % p SYSTEM \"" + target + "\"> %p;]>" + envelope("<Message/>");
                case 2 -> "<!DOCTYPE Envelope SYSTEM \"" + target + "\">" + envelope("<Message/>");
                default -> "<!DOCTYPE Envelope PUBLIC \"-//HOSTILE//EN\" \"" + target + "\">" + envelope("<Message/>");
            };
            add("external-entity-" + (i % 4) + "-" + target.replaceAll("\\W+", "-"), bytes(request), XML_DTD_FORBIDDEN);
        }
        for (int i = 0; i < 10; i++) {
            String target = targets[random.nextInt(targets.length)];
            add("xinclude-" + i, bytes(envelope("<Message xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                    + target + "\" parse=\"text\"/></Message>")), XML_XINCLUDE_FORBIDDEN);
        }
    }

    /** Over hub.edge.max-document-bytes (5 MB) but within the HTTP body limit (10 MB): the edge answers. */
    private void oversize(int count) {
        for (int i = 0; i < count; i++) {
            int padding = 5 * 1024 * 1024 + random.nextInt(4 * 1024 * 1024);
            int kind = i % 3;
            add("oversize-" + (padding >> 20) + "-megabytes-" + kind, () -> switch (kind) {
                case 0 -> PartnerClient.concat(SoapEnvelope.wrap(signedSample()),
                        bytes("<!--" + "x".repeat(padding) + "-->"));
                case 1 -> bytes(envelope("<Message><Description>" + "y".repeat(padding) + "</Description></Message>"));
                default -> bytes(envelope("<Message>" + "<a/>".repeat(padding / 4) + "</Message>"));
            }, MESSAGE_TOO_LARGE);
        }
    }

    private void nesting(int count) {
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                int depth = 65 + random.nextInt(20_000);
                add("nested-" + depth + "-deep", bytes(envelope("<a>".repeat(depth) + "</a>".repeat(depth))), XML_TOO_DEEP);
            } else {
                int elements = 50_001 + random.nextInt(200_000);
                add(elements + "-elements", bytes(envelope("<a>" + "<b/>".repeat(elements) + "</a>")), XML_TOO_MANY_ELEMENTS);
            }
        }
    }

    private void wrongNamespaces(int count) {
        String[] catalogs = {"urn:huunghi-gate:hub:v2", "urn:huunghi-gate:hub:V1", "", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
            "http://www.w3.org/2000/09/xmldsig#"};
        for (int i = 0; i < count; i++) {
            switch (i % 3) {
                case 0 -> {
                    String namespace = catalogs[random.nextInt(catalogs.length)];
                    String xml = text(SoapEnvelope.wrap(signedSample()));
                    add("catalog-namespace-" + (namespace.isEmpty() ? "none" : namespace.replaceAll("\\W+", "-")) + "-" + i,
                            bytes(xml.replace("xmlns=\"" + MessageCatalog.NAMESPACE_V1 + "\"",
                                    namespace.isEmpty() ? "" : "xmlns=\"" + namespace + "\"")),
                            SCHEMA_INVALID);
                }
                case 1 -> add("soap-namespace-wrong-" + i, bytes(text(SoapEnvelope.wrap(signedSample()))
                        .replace("http://schemas.xmlsoap.org/soap/envelope/", "http://schemas.xmlsoap.org/soap/envelope/" + i)),
                        SOAP_ENVELOPE_INVALID);
                default -> add("signature-namespace-wrong-" + i, soapBytes(text(signedSample())
                        .replace("http://www.w3.org/2000/09/xmldsig#", "http://www.w3.org/2000/09/xmldsig-" + i + "#")),
                        SIGNATURE_MISSING);
            }
        }
    }

    private void wrongCertificates(int count) {
        String[] others = {"asean-sw", "vn-customs", "vn-border-guard", "cn-nanning-customs", "equipment-gateway", "vn-port-operator"};
        for (int i = 0; i < count; i++) {
            switch (i % 6) {
                case 0 -> add("signed-by-another-partner-" + i,
                        SoapEnvelope.wrap(PartnerDocuments.sign(fresh(), others[random.nextInt(others.length)])),
                        SENDER_NOT_SIGNER);
                case 1 -> add("self-signed-certificate-" + i, SoapEnvelope.wrap(testKey(fresh(), "untrusted")), CERTIFICATE_UNTRUSTED);
                case 2 -> add("expired-certificate-" + i, SoapEnvelope.wrap(testKey(fresh(), "expired")), CERTIFICATE_EXPIRED);
                case 3 -> add("revoked-certificate-" + i, SoapEnvelope.wrap(testKey(fresh(), "revoked")), CERTIFICATE_REVOKED);
                case 4 -> {
                    // another partner's certificate put into KeyInfo of a document signed by VN-NSW
                    String xml = text(signedSample());
                    String other = text(PartnerDocuments.sign(fresh(), others[random.nextInt(others.length)]));
                    add("certificate-swapped-" + i, soapBytes(xml.substring(0, xml.indexOf("<ds:X509Certificate>"))
                            + other.substring(other.indexOf("<ds:X509Certificate>"), other.indexOf("</ds:X509Certificate>"))
                            + xml.substring(xml.indexOf("</ds:X509Certificate>"))),
                            SIGNATURE_VALUE_INVALID, SENDER_NOT_SIGNER);
                }
                default -> add("no-certificate-" + i, SoapEnvelope.wrap(PartnerDocuments.signCustom(fresh(), NSW,
                        XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, false, t -> { })), CERTIFICATE_MISSING);
            }
        }
    }

    private void soapMisuse(int count) {
        for (int i = 0; i < count; i++) {
            switch (i % 5) {
                case 0 -> add("empty-soap-body-" + i, bytes(envelope("")), SOAP_ENVELOPE_INVALID);
                case 1 -> add("unsigned-" + i, SoapEnvelope.wrap(vn.huunghi.hub.crypto.XmlSigner.serialize(fresh())), SIGNATURE_MISSING);
                case 2 -> add("garbage-" + i, randomBytes(1 + random.nextInt(4096)), XML_MALFORMED);
                case 3 -> add("stale-created-at-" + i, SoapEnvelope.wrap(signedAt(OffsetDateTime.now(ZoneOffset.UTC)
                        .minusMinutes(16 + random.nextInt(10_000)))), CREATED_AT_OUT_OF_WINDOW);
                default -> add("receiver-not-hub-" + i, SoapEnvelope.wrap(withHeader("Receiver", "VN-CUSTOMS")), RECEIVER_NOT_HUB);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Valid documents, sent between the hostile ones: every one must be accepted. */
    public static byte[] valid() {
        return SoapEnvelope.wrap(PartnerDocuments.sign(TestCargo.of(SAMPLES[0]).document(), NSW));
    }

    private void add(String name, byte[] request, RejectionCode first, RejectionCode... more) {
        add(name, () -> request, EnumSet.of(first, more));
    }

    private void add(String name, byte[] request, Set<RejectionCode> causes) {
        add(name, () -> request, causes);
    }

    private void add(String name, Supplier<byte[]> request, RejectionCode cause) {
        add(name, request, EnumSet.of(cause));
    }

    private void add(String name, Supplier<byte[]> request, Set<RejectionCode> causes) {
        cases.add(new Case(String.format("%03d-%s", cases.size() + 1, name), request, causes));
    }

    private Document fresh() {
        return PartnerDocuments.fresh(SAMPLES[random.nextInt(SAMPLES.length)]);
    }

    private byte[] signedSample() {
        return PartnerDocuments.sign(fresh(), NSW);
    }

    private byte[] signedAt(OffsetDateTime createdAt) {
        Document document = fresh();
        PartnerDocuments.header(document, "CreatedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(createdAt));
        return PartnerDocuments.sign(document, NSW);
    }

    private byte[] withHeader(String name, String value) {
        Document document = fresh();
        PartnerDocuments.header(document, name, value);
        return PartnerDocuments.sign(document, NSW);
    }

    private static byte[] testKey(Document document, String name) {
        try {
            return PartnerDocuments.sign(document, TestPki.keystore(name), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = (byte) (bytes[0] == '<' ? '>' : bytes[0]); // never a chance of well-formed XML
        return bytes;
    }

    private static boolean insideTag(String xml, int at) {
        return xml.lastIndexOf('<', at) > xml.lastIndexOf('>', at);
    }

    private static String envelope(String body) {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>" + body
                + "</soap:Body></soap:Envelope>";
    }

    private static byte[] soapBytes(String document) {
        return SoapEnvelope.wrap(bytes(document));
    }

    private static byte[] slice(byte[] whole, int length) {
        return java.util.Arrays.copyOf(whole, length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
