package vn.huunghi.hub.edge;

/**
 * Why the edge refused a partner message. The names are a contract: they appear unchanged in
 * receipts, logs, metric tags and docs/error-codes.md, so never rename one.
 */
public enum RejectionCode {
    MESSAGE_TOO_LARGE("the request is larger than hub.edge.max-document-bytes"),
    XML_MALFORMED("the request is not well-formed XML"),
    XML_DTD_FORBIDDEN("a DOCTYPE (and with it any entity declaration) is not allowed"),
    XML_XINCLUDE_FORBIDDEN("XInclude elements are not allowed"),
    XML_TOO_DEEP("elements are nested deeper than hub.edge.max-depth"),
    XML_TOO_MANY_ELEMENTS("the request has more elements than hub.edge.max-elements"),
    SOAP_ENVELOPE_INVALID("the request is not a SOAP envelope whose body holds exactly one document"),
    SIGNATURE_MISSING("the document carries no enveloped ds:Signature as a child of its root"),
    SIGNATURE_MULTIPLE("the document carries more than one ds:Signature"),
    SIGNATURE_MALFORMED("the ds:Signature element cannot be read"),
    SIGNATURE_ALGORITHM_FORBIDDEN("signature, digest or canonicalization algorithm not allowed"),
    SIGNATURE_REFERENCE_COUNT("the signature must have exactly one reference"),
    SIGNATURE_REFERENCE_EXTERNAL("the signature references something outside the document"),
    SIGNATURE_REFERENCE_NOT_ROOT("the signature reference does not cover the whole document (signature wrapping)"),
    SIGNATURE_TRANSFORM_FORBIDDEN("a transform other than enveloped-signature and exclusive C14N is used"),
    SIGNATURE_DIGEST_MISMATCH("the signed content was changed after signing"),
    SIGNATURE_VALUE_INVALID("the signature value does not verify with the signer's key"),
    CERTIFICATE_MISSING("the signature does not carry the signer's X.509 certificate"),
    CERTIFICATE_UNTRUSTED("the signer's certificate does not chain to the hub's trust store"),
    CERTIFICATE_EXPIRED("the signer's certificate is not valid at the message's createdAt"),
    CERTIFICATE_REVOKED("the signer's certificate is on a configured revocation list"),
    SCHEMA_INVALID("the document does not validate against the message catalog"),
    CONTAINER_CHECK_DIGIT_INVALID("an ISO 6346 container number's check digit is wrong (a typing error)"),
    CREATED_AT_OUT_OF_WINDOW("createdAt is outside the replay window (hub.edge.replay-window)"),
    RECEIVER_NOT_HUB("the header's receiver is not the hub"),
    SENDER_NOT_SIGNER("the header's sender is not the party named in the signer's certificate"),
    SENDER_UNKNOWN("the signer is not a partner in hub.partners"),
    MESSAGE_TYPE_NOT_ALLOWED("the sender may not send this message type (hub.partners.<party>.may-send)"),
    MESSAGE_ID_REUSED("a different document was already accepted under this messageId"),
    HUB_UNAVAILABLE("the hub could not store the message; nothing was accepted, send it again later");

    private final String meaning;

    RejectionCode(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
