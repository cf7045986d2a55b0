package vn.huunghi.hub.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import org.apache.camel.component.jms.JmsConstants;
import vn.huunghi.hub.broker.CachedDestinations;

/**
 * Puts a batch of pending outbox messages on their partners' queues, outbox.&lt;PARTY&gt;, in one
 * broker transaction: one journal write for the batch instead of one blocking send per message,
 * which under load made the relay the hub's one serial step (docs/performance.md).
 */
@ApplicationScoped
@Named("outboxRelay")
public class OutboxRelay {

    private final ConnectionFactory connectionFactory;
    private final CachedDestinations destinations;

    OutboxRelay(ConnectionFactory connectionFactory, CachedDestinations destinations) {
        this.connectionFactory = connectionFactory;
        this.destinations = destinations;
    }

    /** Returns the batch once every message of it is on its queue. */
    public List<Outbox.Pending> sendToPartnerQueues(List<Outbox.Pending> batch) throws JMSException {
        Connection connection = connectionFactory.createConnection(); // the shared connection: not closed here
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            send(session, batch);
            session.commit();
        } catch (JMSException batchRefused) {
            // The broker refuses a whole transaction when one message of it repeats a duplicate-detection
            // id: after a crash between this send and marking the rows relayed, or when another instance
            // relayed the same rows first. One message at a time, outside a transaction, the broker drops
            // just the repeats; a broker that is away fails here too and the rows wait for the next poll.
            try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                send(session, batch);
            }
        }
        return batch;
    }

    private void send(Session session, List<Outbox.Pending> batch) throws JMSException {
        for (Outbox.Pending pending : batch) {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(pending.document());
            message.setStringProperty(Outbox.PARTY, pending.party());
            message.setStringProperty(Outbox.MESSAGE_ID, pending.messageId());
            message.setStringProperty(Outbox.MESSAGE_TYPE, pending.messageType());
            if (pending.cargoUnitId() != null) {
                message.setStringProperty(Outbox.CARGO_UNIT_ID, pending.cargoUnitId());
            }
            message.setStringProperty(JmsConstants.JMS_X_GROUP_ID, Outbox.jmsGroup(pending.party(), pending.cargoUnitId()));
            message.setStringProperty(Outbox.ARTEMIS_DUPLICATE_ID, pending.messageId());
            try (MessageProducer producer = session.createProducer(destinations.queue(session, "outbox." + pending.party()))) {
                producer.send(message);
            }
        }
    }
}
