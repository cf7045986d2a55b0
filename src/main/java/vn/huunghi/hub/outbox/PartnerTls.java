package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import vn.huunghi.hub.HubConfig;

/** The TLS client identity the outbox presents to partners: the hub's key, and the partner trust store. */
@ApplicationScoped
public class PartnerTls {

    @Produces
    @ApplicationScoped
    @Named("partnerTls")
    SSLContextParameters partnerTls(HubConfig config) {
        KeyStoreParameters keystore = new KeyStoreParameters();
        keystore.setResource("file:" + config.crypto().keystore().toAbsolutePath());
        keystore.setPassword(config.crypto().keystorePassword());
        keystore.setType("PKCS12");
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(keystore);
        keys.setKeyPassword(config.crypto().keystorePassword());

        KeyStoreParameters truststore = new KeyStoreParameters();
        truststore.setResource("file:" + config.crypto().truststore().toAbsolutePath());
        truststore.setPassword(config.crypto().truststorePassword());
        truststore.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(truststore);

        SSLContextParameters tls = new SSLContextParameters();
        tls.setKeyManagers(keys);
        tls.setTrustManagers(trust);
        return tls;
    }
}
