package vn.huunghi.hub.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jms.support.destination.DestinationResolver;

/**
 * Resolves each queue or topic name once. Artemis answers Session.createQueue with a round trip
 * to the broker, and the JMS component resolves the destination on every send: under load that
 * round trip was half the wait of every hand-over to a queue (docs/performance.md). A destination
 * is only a name, valid across sessions, connections and broker restarts.
 */
@ApplicationScoped
@Named("cachedDestinations")
public class CachedDestinations implements DestinationResolver {

    private final Map<String, Destination> queues = new ConcurrentHashMap<>();
    private final Map<String, Destination> topics = new ConcurrentHashMap<>();

    @Override
    public Destination resolveDestinationName(Session session, String name, boolean pubSubDomain) throws JMSException {
        Map<String, Destination> known = pubSubDomain ? topics : queues;
        Destination destination = known.get(name);
        if (destination == null) {
            destination = pubSubDomain ? session.createTopic(name) : session.createQueue(name);
            known.put(name, destination);
        }
        return destination;
    }

    public Destination queue(Session session, String name) throws JMSException {
        return resolveDestinationName(session, name, false);
    }
}
