package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Map;
import org.apache.camel.Exchange;
import vn.huunghi.hub.HubConfig;

/**
 * Edge step: the party named in the signer's certificate must be the header's sender, the
 * receiver must be the hub, and the partner table must allow that party to send that type.
 */
@ApplicationScoped
@Named("authorizeSender")
public class SenderAuthorization {

    static final String HUB = "HUB";

    private final Map<String, HubConfig.Partner> partners;

    SenderAuthorization(HubConfig config) {
        this.partners = config.partners();
    }

    public void authorize(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        MessageHeader header = inbound.header();
        if (!inbound.signerParty().equals(header.sender())) {
            throw new EdgeRejection(RejectionCode.SENDER_NOT_SIGNER,
                    "header sender " + header.sender() + " but signed by " + inbound.signerParty());
        }
        if (!HUB.equals(header.receiver())) {
            throw new EdgeRejection(RejectionCode.RECEIVER_NOT_HUB, "receiver " + header.receiver());
        }
        HubConfig.Partner partner = partners.get(header.sender());
        if (partner == null) {
            throw new EdgeRejection(RejectionCode.SENDER_UNKNOWN, header.sender() + " is not in hub.partners");
        }
        if (!partner.maySend().orElse(java.util.Set.of()).contains(header.messageType())) {
            throw new EdgeRejection(RejectionCode.MESSAGE_TYPE_NOT_ALLOWED,
                    header.sender() + " may not send " + header.messageType());
        }
    }
}
