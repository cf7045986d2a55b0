package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.crypto.HubKeys;

/** Edge step: verifies the document's signature as of its createdAt. */
@ApplicationScoped
@Named("verifySignature")
public class SignatureCheck {

    private final SignatureVerification verification;
    private final Clock clock;

    private final java.util.Map<String, HubConfig.Partner> partners;

    private final vn.huunghi.hub.catalog.PartnerFormats formats;

    SignatureCheck(HubKeys keys, Clock clock, HubConfig config, vn.huunghi.hub.catalog.PartnerFormats formats) {
        this.formats = formats;
        this.verification = new SignatureVerification(keys.trustAnchors(), keys.revocationLists(),
                SignatureVerification.ALL_SIGNATURE_ALGORITHMS);
        this.clock = clock;
        this.partners = config.partners();
    }

    public void verify(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        MessageHeader header = inbound.header();
        // The certificate must be valid when the sender says it signed; the replay window keeps that close to now.
        Instant messageTime = header.createdAt() != null ? header.createdAt() : clock.instant();
        SignatureVerification.Signer signer = verification.verify(inbound.signedDom(), messageTime);
        HubConfig.Partner partner = partners.get(signer.party());
        java.util.Set<String> allowed = partner == null ? SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS
                : partner.signatureAlgorithms().orElse(SignatureVerification.DEFAULT_SIGNATURE_ALGORITHMS);
        if (!allowed.contains(signer.algorithm())) {
            throw new EdgeRejection(RejectionCode.SIGNATURE_ALGORITHM_FORBIDDEN,
                    signer.party() + " may not sign with " + signer.algorithm() + " (hub.partners." + signer.party()
                            + ".signature-algorithms)");
        }
        if (inbound.partnerFormat() != null && !formats.byId(inbound.partnerFormat()).orElseThrow().partner()
                .equals(signer.party())) {
            throw new EdgeRejection(RejectionCode.SENDER_NOT_SIGNER,
                    inbound.partnerFormat() + " is " + formats.byId(inbound.partnerFormat()).orElseThrow().partner()
                            + "'s format, but " + signer.party() + " signed");
        }
        inbound.signer(signer.certificate(), signer.party());
    }
}
