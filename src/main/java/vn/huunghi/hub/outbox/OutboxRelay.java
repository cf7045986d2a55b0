package vn.huunghi.hub.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.camel.component.jms.JmsConstants;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.broker.CachedDestinations;

/**
 * Puts a batch of pending outbox messages on their partners' queues, outbox.&lt;PARTY&gt;, in one
 * broker transaction: one journal write for the batch instead of one blocking send per message,
 * which under load made the relay the hub's one serial step (docs/performance.md).
 */
@ApplicationScoped
@Named("outboxRelay")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final ConnectionFactory connectionFactory;
    private final CachedDestinations destinations;
    private final Outbox outbox;
    private final boolean atCommit;
    private final Counter refused;
    /**
     * A cargo unit's relays at commit one at a time in this instance: the next transaction of a
     * cargo unit, committing while the one before is still relaying, would otherwise send that
     * one's rows again with its own, refused by the broker (a warning each) and sent once more one
     * by one. Striped by cargo unit, so that other cargo units' relays go on side by side.
     */
    private final ReentrantLock[] cargoUnitStripes = new ReentrantLock[64];

    OutboxRelay(ConnectionFactory connectionFactory, CachedDestinations destinations, Outbox outbox, HubConfig config,
            MeterRegistry metrics) {
        this.refused = Counter.builder("hub.outbox.relay.batches.refused")
                .description("relayed batches the broker refused for repeating a message it has; sent again one by one")
                .register(metrics);
        this.connectionFactory = connectionFactory;
        this.destinations = destinations;
        this.outbox = outbox;
        this.atCommit = config.outbox().relayAtCommit();
        for (int i = 0; i < cargoUnitStripes.length; i++) {
            cargoUnitStripes[i] = new ReentrantLock();
        }
    }

    /**
     * Called by the thread whose transaction added rows of these cargo units, once it committed:
     * with hub.outbox.relay-at-commit, relays every unrelayed row of them now, on that thread,
     * rather than queueing for the relay route, whose runs cannot overlap; without it, wakes the
     * route. Off by default: at 80 % of the benchmark's peak it shortened no percentile of the
     * delivery (docs/performance.md, session 26). A cargo unit's rows are written by one
     * transaction at a time (its row is locked), and each relay sends all its unrelayed rows in
     * order, so a later row never reaches the queue before an earlier one; two relays sending the
     * same row (this one and the route's, or another instance's) are resolved by the broker's
     * duplicate detection. Whatever cannot go now (the broker away, a row of no cargo unit) is left
     * to the route.
     */
    public void relayAtCommit(Set<String> cargoUnitIds) {
        if (cargoUnitIds.isEmpty()) {
            return;
        }
        if (!atCommit || cargoUnitIds.stream().anyMatch(Objects::isNull)) {
            outbox.relaySoon();
            return;
        }
        // in one order, so that two relays of overlapping cargo units never wait for each other
        int[] stripes = cargoUnitIds.stream().mapToInt(id -> Math.floorMod(id.hashCode(), cargoUnitStripes.length))
                .distinct().sorted().toArray();
        for (int stripe : stripes) {
            cargoUnitStripes[stripe].lock();
        }
        try {
            List<Outbox.Pending> rows = outbox.unrelayedOf(cargoUnitIds);
            if (rows.isEmpty()) {
                return; // the route relayed them first
            }
            outbox.markRelayed(sendToPartnerQueues(rows));
            if (rows.size() == outbox.batchSize()) {
                outbox.relaySoon(); // more than a batch waited: a backlog, the route's work
            }
        } catch (JMSException | SQLException | RuntimeException e) {
            // committed rows stay in outbox_unrelayed: the route relays them
            LOG.debugf("outbox rows of %s left to the relay route: %s", cargoUnitIds, e.getMessage());
            outbox.relaySoon();
        } finally {
            for (int stripe : stripes) {
                cargoUnitStripes[stripe].unlock();
            }
        }
    }

    /** Returns the batch once every message of it is on its queue. */
    public List<Outbox.Pending> sendToPartnerQueues(List<Outbox.Pending> batch) throws JMSException {
        Connection connection = connectionFactory.createConnection(); // the shared connection: not closed here
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            send(session, batch);
            session.commit();
        } catch (JMSException batchRefused) {
            if (batchRefused.getCause() instanceof ActiveMQException broker
                    && broker.getType() == ActiveMQExceptionType.DUPLICATE_ID_REJECTED) {
                refused.increment(); // a repeat; not the broker away
            }
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
