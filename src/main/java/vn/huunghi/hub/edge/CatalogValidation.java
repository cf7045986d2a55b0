package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import org.apache.camel.Exchange;
import vn.huunghi.hub.catalog.MessageCatalog;
import vn.huunghi.hub.catalog.SchemaViolation;

/** Edge step: validates the document against the message catalog; the rejection lists every error with its path. */
@ApplicationScoped
@Named("validateAgainstCatalog")
public class CatalogValidation {

    private final MessageCatalog catalog = MessageCatalog.v1();

    public void validate(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        List<SchemaViolation> violations = catalog.validate(inbound.document());
        if (!violations.isEmpty()) {
            throw new EdgeRejection(RejectionCode.SCHEMA_INVALID,
                    violations.size() + " schema error(s), first: " + violations.get(0), violations);
        }
    }
}
