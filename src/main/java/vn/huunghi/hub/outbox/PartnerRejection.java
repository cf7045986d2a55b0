package vn.huunghi.hub.outbox;

/** A partner answered with a REJECTED receipt: sending the same document again cannot help, so no retry. */
public class PartnerRejection extends RuntimeException {

    public PartnerRejection(String message) {
        super(message, null, false, false);
    }
}
