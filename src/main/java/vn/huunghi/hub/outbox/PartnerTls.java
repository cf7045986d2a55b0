package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.namespace.QName;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.edge.PartnerEdgeEndpoint;

/**
 * The CXF client the outbox delivers with: the partners' side of the same WSDL contract the hub
 * serves (schemas/hub-edge.wsdl), RAW so the signed document goes out byte for byte, over mutual
 * TLS with the hub's key and the partner trust store. The partner's address is set per message.
 */
@ApplicationScoped
public class PartnerTls {

    @Produces
    @ApplicationScoped
    @Named("partnerDelivery")
    CxfEndpoint partnerDelivery(HubConfig config) throws Exception {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setAddress("https://partner.invalid/soap/edge"); // replaced by each message's partner endpoint
        endpoint.setWsdlURL("schemas/hub-edge.wsdl");
        endpoint.setServiceNameAsQName(new QName(PartnerEdgeEndpoint.WSDL_NAMESPACE, "PartnerEdgeService"));
        endpoint.setPortNameAsQName(new QName(PartnerEdgeEndpoint.WSDL_NAMESPACE, "PartnerEdgePort"));
        endpoint.setDataFormat(DataFormat.RAW);
        endpoint.setCxfConfigurer(new MutualTls(config.crypto()));
        return endpoint;
    }

    /** Sets the conduit's client certificate, trust anchors, timeouts and its blocking HTTP client. */
    private static final class MutualTls implements CxfConfigurer {

        static final String FORCE_URLCONNECTION = "force.urlconnection.http.conduit";

        private final TLSClientParameters tls = new TLSClientParameters();

        MutualTls(HubConfig.Crypto crypto) throws Exception {
            KeyStore keystore = HubKeys.load(crypto.keystore(), crypto.keystorePassword());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keystore, crypto.keystorePassword().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(HubKeys.load(crypto.truststore(), crypto.truststorePassword()));
            tls.setKeyManagers(keys.getKeyManagers());
            tls.setTrustManagers(trust.getTrustManagers());
        }

        @Override
        public void configure(AbstractWSDLBasedEndpointFactory factory) {
        }

        @Override
        public void configureClient(Client client) {
            // CXF 4's default conduit goes through the JDK HttpClient, which completes each response on a
            // CompletableFuture's default executor: with one or two cores that is a new thread per
            // response. The deliveries are blocking calls, one per consumer, so plain URLConnection it is
            client.getEndpoint().put(FORCE_URLCONNECTION, Boolean.TRUE);
            HTTPConduit conduit = (HTTPConduit) client.getConduit();
            conduit.setTlsClientParameters(tls);
            HTTPClientPolicy policy = new HTTPClientPolicy();
            policy.setConnectionTimeout(5000);
            policy.setReceiveTimeout(30000);
            conduit.setClient(policy);
        }

        @Override
        public void configureServer(Server server) {
        }
    }
}
