package vn.huunghi.hub.ops;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.crypto.HubKeys;
import vn.huunghi.hub.broker.EmbeddedBroker;

/** Logs, once at start, where each endpoint of the hub listens, so an operator never has to guess. */
@ApplicationScoped
public class EndpointAnnouncement {

    private static final Logger LOG = Logger.getLogger(EndpointAnnouncement.class);

    @ConfigProperty(name = "quarkus.http.host")
    String httpHost;
    @ConfigProperty(name = "quarkus.http.ssl-port")
    int httpsPort;
    @ConfigProperty(name = "quarkus.management.host")
    String managementHost;
    @ConfigProperty(name = "quarkus.management.port")
    int managementPort;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    void announce(@Observes StartupEvent event, HubConfig config, EmbeddedBroker broker, HubKeys keys) {
        String management = "http://" + managementHost + ":" + managementPort;
        LOG.infof("Health:   %s/q/health", management);
        LOG.infof("Metrics:  %s/q/metrics", management);
        LOG.infof("Partner edge (SOAP, mutual TLS): https://%s:%d/soap/edge  (WSDL: ...?wsdl)", httpHost, httpsPort);
        if (config.broker().embedded()) {
            broker.ensureStarted();
            LOG.infof("Broker:   embedded Artemis, in-VM and %s, journal %s", broker.tcpAcceptorUrl(), broker.journalRoot());
        } else {
            LOG.infof("Broker:   %s", config.broker().url().orElse("(hub.broker.url not set)"));
        }
        LOG.infof("Database: %s", jdbcUrl);
        LOG.infof("Signing:  %s key, JCA provider %s (hub.crypto.provider=%s)",
                keys.signingCertificate().getPublicKey().getAlgorithm(), keys.provider(), config.crypto().provider());
    }
}
