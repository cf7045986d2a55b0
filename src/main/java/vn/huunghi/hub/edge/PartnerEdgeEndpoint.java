package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import javax.xml.namespace.QName;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;

/**
 * The SOAP endpoint partners call (contract: schemas/hub-edge.wsdl). RAW data format: CXF hands
 * the route the request bytes untouched, because the signed document must be verified and
 * archived exactly as the partner sent it.
 */
@ApplicationScoped
public class PartnerEdgeEndpoint {

    public static final String WSDL_NAMESPACE = "urn:huunghi-gate:hub:edge:v1";
    public static final String ADDRESS = "/edge";

    @Produces
    @ApplicationScoped
    @Named("partnerEdge")
    CxfEndpoint partnerEdge() {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setAddress(ADDRESS);
        endpoint.setWsdlURL("schemas/hub-edge.wsdl");
        endpoint.setServiceNameAsQName(new QName(WSDL_NAMESPACE, "PartnerEdgeService"));
        endpoint.setPortNameAsQName(new QName(WSDL_NAMESPACE, "PartnerEdgePort"));
        endpoint.setDataFormat(DataFormat.RAW);
        return endpoint;
    }
}
