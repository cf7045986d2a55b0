package vn.huunghi.hub.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.SignatureVerification;

/** The hub writes a document exactly as the JDK's identity transform, which it replaced, wrote it. */
class DocumentWriterTest {

    /** Every well-formed document the tests keep (the edge's refusals include some that are not). */
    static Stream<Path> everyDocumentTheTestsKeep() throws IOException {
        List<Path> roots = List.of(Path.of("src/test/resources/fixtures/scenarios"),
                Path.of("src/test/resources/fixtures/mapping-nanning"), Path.of("src/test/resources/fixtures/catalog-invalid"),
                PartnerDocuments.SAMPLES);
        return roots.stream().flatMap(root -> {
            try {
                return Files.walk(root).filter(file -> file.toString().endsWith(".xml")).sorted().toList().stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("everyDocumentTheTestsKeep")
    void aParsedDocumentIsWrittenAsTheIdentityTransformWroteIt(Path file) throws Exception {
        Document document = HubDocuments.parse(Files.readAllBytes(file));
        assertSameBytes(document);
    }

    @Test
    void aSignedDocumentIsWrittenAsTheIdentityTransformWroteItAndItsSignatureHolds() throws Exception {
        Document document = PartnerDocuments.fresh("CargoPreDeclaration");
        byte[] signed = PartnerDocuments.sign(document, "vn-nsw");
        assertSameBytes(document);
        SignatureVerification verification = new SignatureVerification(HubKeys.anchors(PartnerDocuments.keystore(
                PartnerDocuments.DEV_KEYS.resolve("truststore.p12"))), List.of(),
                SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        assertEquals("VN-NSW", verification.verify(HubDocuments.parse(signed), Instant.now()).party(),
                "the signature over the written bytes holds");
    }

    @Test
    void aBuiltDocumentGetsTheNamespaceDeclarationsItNeedsOnceAndItsCharactersEscaped() throws Exception {
        Document document = HubDocuments.newDocument();
        document.appendChild(document.createComment(" before the root "));
        document.appendChild(document.createProcessingInstruction("hub", "note=\"1\""));
        document.appendChild(document.createProcessingInstruction("empty", ""));
        Element root = document.createElementNS("urn:a", "a:Root");
        document.appendChild(root);
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:a", "urn:a");
        root.setAttributeNS("urn:b", "b:kind", "x & y < z > \"q\" 'p'\ttab\nline\rreturn");
        root.setAttributeNS("urn:c", "plain", "a namespace without a prefix");
        root.setAttributeNS("urn:e", "other", "another");
        root.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:lang", "vi");
        Element child = document.createElementNS("urn:a", "a:Child");
        root.appendChild(child);
        child.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:a", "urn:a"); // already in scope
        child.appendChild(document.createTextNode("Thanh long đỏ 火龙果 🐉 & <b> ]]> \r\n\t"));
        child.appendChild(document.createTextNode("controls \u007F\u0085\u009F and \u00A0 between runs\uD83D\uDC09end"));
        child.setAttributeNS("urn:b", "b:note", "\u0085 in a \"value\" \u00A0\uD83D\uDC09 ends");
        Element defaulted = document.createElementNS("urn:d", "Defaulted");
        defaulted.setAttributeNS("urn:c", "plain", "again, on another element");
        root.appendChild(defaulted);
        Element noNamespace = document.createElementNS(null, "Bare");
        defaulted.appendChild(noNamespace);
        noNamespace.appendChild(document.createTextNode(""));
        defaulted.appendChild(document.createCDATASection("kept <as> is ]]> twice"));
        defaulted.appendChild(document.createComment("a comment"));
        root.appendChild(document.createElementNS("urn:d", "Defaulted"));
        assertSameBytes(document);
    }

    private static void assertSameBytes(Document document) throws Exception {
        Transformer identity = TransformerFactory.newDefaultInstance().newTransformer();
        identity.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        identity.setOutputProperty(OutputKeys.INDENT, "no");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        identity.transform(new DOMSource(document), new StreamResult(expected));
        assertEquals(expected.toString(StandardCharsets.UTF_8),
                new String(DocumentWriter.write(document), StandardCharsets.UTF_8));
    }
}
