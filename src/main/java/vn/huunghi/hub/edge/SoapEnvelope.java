package vn.huunghi.hub.edge;

import java.nio.charset.StandardCharsets;

/** The SOAP 1.1 envelope the edge answers with; the receipt is its body's only child, byte for byte. */
public final class SoapEnvelope {

    public static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

    private static final byte[] OPEN = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<soap:Envelope xmlns:soap=\"" + SOAP11 + "\"><soap:Body>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "</soap:Body></soap:Envelope>".getBytes(StandardCharsets.UTF_8);

    private SoapEnvelope() {
    }

    /** Wraps a document (without its XML declaration) as the body of a SOAP envelope. */
    public static byte[] wrap(byte[] document) {
        int start = afterXmlDeclaration(document);
        byte[] envelope = new byte[OPEN.length + document.length - start + CLOSE.length];
        System.arraycopy(OPEN, 0, envelope, 0, OPEN.length);
        System.arraycopy(document, start, envelope, OPEN.length, document.length - start);
        System.arraycopy(CLOSE, 0, envelope, envelope.length - CLOSE.length, CLOSE.length);
        return envelope;
    }

    public static int afterXmlDeclaration(byte[] document) {
        String head = new String(document, 0, Math.min(document.length, 200), StandardCharsets.UTF_8);
        if (head.startsWith("<?xml")) {
            int end = head.indexOf("?>");
            int start = end + 2;
            while (start < document.length && Character.isWhitespace(document[start])) {
                start++;
            }
            return start;
        }
        return 0;
    }
}
