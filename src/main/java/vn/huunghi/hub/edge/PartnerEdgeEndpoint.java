package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import javax.xml.namespace.QName;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.resource.ResourceManager;

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
        endpoint.setCxfConfigurer(new ServerConfigurer());
        return endpoint;
    }

    /** Puts the class-loader shortcut first among the bus's resource resolvers. */
    private static final class ServerConfigurer implements CxfConfigurer {

        @Override
        public void configure(AbstractWSDLBasedEndpointFactory factory) {
            factory.getBus().getExtension(ResourceManager.class).addResourceResolver(new ServletClassLoaderShortcut());
        }

        @Override
        public void configureClient(Client client) {
        }

        @Override
        public void configureServer(Server server) {
        }
    }
}
