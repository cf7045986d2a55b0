package vn.huunghi.hub.bench;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.crypto.XmlSigner;
import vn.huunghi.hub.edge.PartnerDocuments;
import vn.huunghi.hub.edge.SignatureVerification;

/**
 * The bare-crypto limit the hub is measured against: the same signed documents through parse, XSD
 * validation, signature verification and re-signing with the hub's key, in a plain loop on as many
 * threads as there are cores, with no Camel, no broker and no database.
 */
final class CryptoBaseline {

    private final List<byte[]> documents;
    private final XmlSigner hubSigner;
    private final SignatureVerification verification;
    // compiled once, as the hub's edge does (CatalogValidation): compiling per document made the
    // baseline measure schema compilation, not the documents (sessions 3 and 4 did)
    private final MessageCatalog catalog = MessageCatalog.v1();

    CryptoBaseline(List<byte[]> documents, Path hubKeystore, String hubAlias) throws Exception {
        this.documents = documents;
        KeyStore keys = PartnerDocuments.keystore(hubKeystore);
        this.hubSigner = new XmlSigner((PrivateKey) keys.getKey(hubAlias, "changeit".toCharArray()),
                (X509Certificate) keys.getCertificate(hubAlias));
        this.verification = new SignatureVerification(HubKeys.anchors(PartnerDocuments.keystore(
                PartnerDocuments.DEV_KEYS.resolve("truststore.p12"))), List.of(), SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
    }

    /** Documents per second over the given seconds, after a warm-up of the same length / 3. */
    double run(int threads, int seconds) throws InterruptedException {
        measure(threads, Math.max(3, seconds / 3));
        return measure(threads, seconds);
    }

    private double measure(int threads, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int offset = t;
            workers[t] = new Thread(() -> {
                for (int i = offset; !stop.get(); i++) {
                    once(documents.get(i % documents.size()));
                    done.incrementAndGet();
                }
            });
            workers[t].start();
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long count = done.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Thread worker : workers) {
            worker.join();
        }
        return count / elapsed;
    }

    /** What the hub must do at least once per document: parse, validate, verify, sign what goes on. */
    void once(byte[] signed) {
        Document document = HubDocuments.parse(signed);
        if (!catalog.validate(signed).isEmpty()) {
            throw new IllegalStateException("a benchmark document is not valid");
        }
        verification.verify(document, Instant.now());
        NodeList signatures = document.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature");
        signatures.item(0).getParentNode().removeChild(signatures.item(0));
        hubSigner.signToBytes(document);
    }
}
