package vn.huunghi.hub.edge;

import java.security.cert.X509Certificate;
import java.time.Instant;
import org.w3c.dom.Document;

/**
 * One partner document as the edge learns about it, step by step: the bytes received, the
 * document inside the SOAP body, its header fields and its verified signer. Carried through the
 * edge route as the exchange property {@value #PROPERTY}.
 */
public final class InboundDocument {

    public static final String PROPERTY = "hubInboundDocument";

    private final byte[] request;
    private final Instant receivedAt;
    private byte[] document;
    private String sha256;
    private Document signedDom;
    private byte[] canonical;
    private String partnerFormat;
    private Document dom;
    private MessageHeader header;
    private X509Certificate signer;
    private String signerParty;
    private byte[] acceptanceReceipt;

    public InboundDocument(byte[] request, Instant receivedAt) {
        this.request = request;
        this.receivedAt = receivedAt;
    }

    public byte[] request() {
        return request;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** The signed document exactly as it sat in the SOAP body; the request itself until it is found. */
    public byte[] document() {
        return document != null ? document : request;
    }

    void document(byte[] document, String sha256) {
        this.document = document;
        this.sha256 = sha256;
    }

    /** Base64 SHA-256 of {@link #document()}: what the receipt and the audit log name. */
    public String sha256() {
        return sha256;
    }

    /** The canonical message, as the catalog defines it: the document itself, or its translation from a partner format. */
    public Document dom() {
        return dom;
    }

    /** The document as signed, for signature verification (differs from {@link #dom()} for a partner format). */
    public Document signedDom() {
        return signedDom != null ? signedDom : dom;
    }

    /** The canonical message's bytes: what is validated and queued. */
    public byte[] canonical() {
        return canonical != null ? canonical : document();
    }

    /** The partner format the document came in, or null for the catalog itself. */
    public String partnerFormat() {
        return partnerFormat;
    }

    void translated(Document signedDom, String partnerFormat, byte[] canonical) {
        this.signedDom = signedDom;
        this.partnerFormat = partnerFormat;
        this.canonical = canonical;
    }

    void dom(Document dom, MessageHeader header) {
        this.dom = dom;
        this.header = header;
    }

    /** The header as read from the document; fields are null where the document lacks them. */
    public MessageHeader header() {
        return header != null ? header : MessageHeader.EMPTY;
    }

    public X509Certificate signer() {
        return signer;
    }

    public String signerParty() {
        return signerParty;
    }

    void signer(X509Certificate signer, String party) {
        this.signer = signer;
        this.signerParty = party;
    }

    /** The signed receipt that says ACCEPTED, made before admission so that the ledger keeps it in the same statement. */
    public byte[] acceptanceReceipt() {
        return acceptanceReceipt;
    }

    void acceptanceReceipt(byte[] receipt) {
        this.acceptanceReceipt = receipt;
    }
}
