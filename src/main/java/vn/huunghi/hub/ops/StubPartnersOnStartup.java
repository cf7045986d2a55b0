package vn.huunghi.hub.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import vn.huunghi.hub.HubConfig;
import org.jboss.logging.Logger;

/** DEV ONLY: starts the stub partners inside the hub when hub.stub-partners.port is set (profile stub-partners). */
@ApplicationScoped
public class StubPartnersOnStartup {

    private static final Logger LOG = Logger.getLogger(StubPartnersOnStartup.class);

    private StubPartnerServer server;

    void start(@Observes StartupEvent event, HubConfig config) throws Exception {
        int port = config.stubPartners().port();
        if (port > 0) {
            server = new StubPartnerServer(Path.of("certs-dev/out"), port);
            LOG.infof("DEV ONLY stub partners: https://localhost:%d/partner/<PARTY> (mutual TLS, dev PKI)", port);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }
}
