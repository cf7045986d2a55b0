package vn.huunghi.hub.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import vn.huunghi.hub.HubConfig;

/**
 * Produces the one JMS ConnectionFactory the Camel JMS component uses: in-VM to the embedded broker,
 * or the configured URL; one shared connection whose sessions and producers are reused, since a
 * connection per send (what a bare factory gives a JmsTemplate) costs more than the send itself;
 * consumers are not cached.
 */
@ApplicationScoped
public class BrokerConnectionFactory {

    @Produces
    @ApplicationScoped
    ConnectionFactory connectionFactory(HubConfig config, EmbeddedBroker embeddedBroker) {
        HubConfig.Broker broker = config.broker();
        ActiveMQConnectionFactory factory;
        if (broker.embedded()) {
            embeddedBroker.ensureStarted();
            factory = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
        } else {
            String url = broker.url().orElseThrow(() -> new IllegalStateException(
                    "hub.broker.url is required when hub.broker.embedded=false"));
            factory = new ActiveMQConnectionFactory(url);
            broker.user().ifPresent(factory::setUser);
            broker.password().ifPresent(factory::setPassword);
        }
        CachingConnectionFactory caching = new CachingConnectionFactory(factory);
        caching.setSessionCacheSize(64);
        // A consumer that stops (an instance standing down as a leader, Camel master) must really
        // close: a cached one stays open and keeps the messages the broker already sent to it, out of
        // the new leader's reach. The listener containers keep their own consumer while they run
        // (cache level CACHE_CONSUMER), so this caching saved nothing.
        caching.setCacheConsumers(false);
        caching.setReconnectOnException(true); // a broker restart: the next use opens a new connection
        return caching;
    }

    void close(@Disposes ConnectionFactory factory) {
        if (factory instanceof CachingConnectionFactory caching) {
            caching.destroy();
            if (caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory artemis) {
                artemis.close();
            }
        }
    }
}
