package vn.huunghi.hub.broker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.jboss.logging.Logger;
import org.springframework.jms.connection.SingleConnectionFactory;
import vn.huunghi.hub.edge.QueueHandover;

/**
 * The messages the broker parked at its dead-letter address after their last failed delivery (ten
 * attempts, docs/deployment.md): listed, counted, and retried on their original queue. Asked of
 * the broker's management address, so the same for the embedded broker, which has no console, and
 * for a standalone pair.
 */
@ApplicationScoped
@Startup // its gauge is exported from the start, not from the first use
public class ParkedMessages {

    /** A parked message, as an operator needs it to decide; brokerMessageId names it for a retry. */
    public record ParkedMessage(long brokerMessageId, String parkedIn, String originalQueue, String messageId,
            String messageType, String sender, Instant sentAt) {
    }

    /** The broker did not answer a management request, or refused it. */
    public static class BrokerNotAnswering extends RuntimeException {
        BrokerNotAnswering(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = Logger.getLogger(ParkedMessages.class);
    private static final String MANAGEMENT_ADDRESS = "activemq.management";
    private static final long ANSWER_WITHIN_MILLIS = 5_000;
    // the properties the broker gives a message when it parks it
    private static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    private static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";

    // Every open operator page lists the parked messages once a second; they share one listing a
    // second, so that the broker's work (a connection, a request per parking queue) does not grow
    // with the number of pages.
    private static final long LISTING_SHARED_FOR_MILLIS = 1_000;

    /** One answer of the broker's, a list or its failure, shared by the callers of the same second. */
    private record Listing(long takenAtNanos, List<ParkedMessage> parked, BrokerNotAnswering failure) {

        static Listing take(Supplier<List<ParkedMessage>> ask) {
            try {
                return new Listing(System.nanoTime(), List.copyOf(ask.get()), null);
            } catch (BrokerNotAnswering e) {
                return new Listing(System.nanoTime(), null, e);
            }
        }

        boolean olderThan(long millis) {
            return System.nanoTime() - takenAtNanos > millis * 1_000_000;
        }

        List<ParkedMessage> messages() {
            if (failure != null) {
                throw failure;
            }
            return parked;
        }
    }

    private final ConnectionFactory broker;
    private final Object listingLock = new Object();
    private volatile Listing lastListing;
    private final AtomicBoolean countFailureReported = new AtomicBoolean();

    ParkedMessages(ConnectionFactory connectionFactory, MeterRegistry metrics) {
        // a connection of its own: management requests stay off the one the routes share
        this.broker = connectionFactory instanceof SingleConnectionFactory shared && shared.getTargetConnectionFactory() != null
                ? shared.getTargetConnectionFactory() : connectionFactory;
        Gauge.builder("hub.parked.messages", this, ParkedMessages::countOrNaN)
                .description("messages the broker parked at its dead-letter address after their last failed delivery")
                .register(metrics);
    }

    /**
     * Every parked message, queue by queue in the broker's order, as the broker listed them at most
     * {@value #LISTING_SHARED_FOR_MILLIS} ms ago.
     */
    public List<ParkedMessage> list() {
        Listing listing = lastListing;
        if (listing == null || listing.olderThan(LISTING_SHARED_FOR_MILLIS)) {
            synchronized (listingLock) {
                listing = lastListing;
                if (listing == null || listing.olderThan(LISTING_SHARED_FOR_MILLIS)) {
                    listing = Listing.take(this::askForList);
                    lastListing = listing;
                }
            }
        }
        return listing.messages();
    }

    private List<ParkedMessage> askForList() {
        return withSession(session -> {
            List<ParkedMessage> parked = new ArrayList<>();
            for (String queue : parkingQueues(session)) {
                for (Object listed : (Object[]) invoke(session, ResourceNames.QUEUE + queue, "listMessages", "")) {
                    parked.add(parkedMessage(queue, (Map<?, ?>) listed));
                }
            }
            return parked;
        });
    }

    /** Puts the parked message back on its original queue, for its consumers to try again; empty when no such message is parked. */
    public Optional<ParkedMessage> retry(long brokerMessageId) {
        Optional<ParkedMessage> parked = askForList().stream().filter(message -> message.brokerMessageId() == brokerMessageId).findFirst();
        return parked.filter(message -> withSession(session -> {
            // false: it left the queue since the listing (another operator, another instance)
            boolean retried = Boolean.TRUE.equals(invoke(session, ResourceNames.QUEUE + message.parkedIn(), "retryMessage",
                    brokerMessageId));
            if (retried) {
                LOG.infof("messageId=%s parked in %s put back on %s by an operator", message.messageId(), message.parkedIn(),
                        message.originalQueue());
            }
            return retried;
        })).map(message -> {
            lastListing = null; // the next listing shows it gone
            return message;
        });
    }

    /** How many messages are parked. */
    public long count() {
        return withSession(session -> {
            long parked = 0;
            for (String queue : parkingQueues(session)) {
                parked += ((Number) attribute(session, ResourceNames.QUEUE + queue, "messageCount")).longValue();
            }
            return parked;
        });
    }

    private double countOrNaN() {
        try {
            return count();
        } catch (BrokerNotAnswering e) {
            if (countFailureReported.compareAndSet(false, true)) {
                LOG.warnf("hub_parked_messages not read (reported once): %s. A standalone broker must let the hub's"
                        + " user manage (docs/deployment.md)", e.getMessage());
            }
            return Double.NaN; // no figure rather than a wrong one
        }
    }

    // one queue per original queue (DLQ.edge.in.CargoPreDeclaration, ...), created by the broker as it parks
    private static List<String> parkingQueues(Session session) throws JMSException {
        // the broker makes the address when it first parks a message; until then it has no resource to ask
        if (!names(attribute(session, ResourceNames.BROKER, "addressNames")).contains(EmbeddedBroker.DEAD_LETTER_ADDRESS)) {
            return List.of();
        }
        return names(attribute(session, ResourceNames.ADDRESS + EmbeddedBroker.DEAD_LETTER_ADDRESS, "queueNames"));
    }

    private static List<String> names(Object answer) {
        List<String> names = new ArrayList<>();
        if (answer instanceof Object[] array) {
            for (Object name : array) {
                names.add(String.valueOf(name));
            }
        }
        return names;
    }

    private static ParkedMessage parkedMessage(String queue, Map<?, ?> listed) {
        Object original = listed.containsKey(ORIGINAL_QUEUE) ? listed.get(ORIGINAL_QUEUE) : listed.get(ORIGINAL_ADDRESS);
        Object sentAt = listed.get("timestamp");
        return new ParkedMessage(((Number) listed.get("messageID")).longValue(), queue, text(original),
                text(listed.get(QueueHandover.MESSAGE_ID)), text(listed.get(QueueHandover.MESSAGE_TYPE)),
                text(listed.get(QueueHandover.SENDER)),
                sentAt instanceof Number millis && millis.longValue() > 0 ? Instant.ofEpochMilli(millis.longValue()) : null);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Object attribute(Session session, String resource, String attribute) throws JMSException {
        Message request = session.createMessage();
        JMSManagementHelper.putAttribute(request, resource, attribute);
        return ask(session, request);
    }

    private static Object invoke(Session session, String resource, String operation, Object... arguments) throws JMSException {
        Message request = session.createMessage();
        JMSManagementHelper.putOperationInvocation(request, resource, operation, arguments);
        return ask(session, request);
    }

    private static Object ask(Session session, Message request) throws JMSException {
        TemporaryQueue replies = session.createTemporaryQueue();
        try (MessageProducer producer = session.createProducer(session.createQueue(MANAGEMENT_ADDRESS));
                MessageConsumer answers = session.createConsumer(replies)) {
            request.setJMSReplyTo(replies);
            producer.send(request);
            Message answer = answers.receive(ANSWER_WITHIN_MILLIS);
            if (answer == null) {
                throw new BrokerNotAnswering("the broker did not answer a management request within "
                        + ANSWER_WITHIN_MILLIS + " ms", null);
            }
            return result(answer);
        } finally {
            replies.delete();
        }
    }

    private static Object result(Message answer) {
        try {
            if (!JMSManagementHelper.hasOperationSucceeded(answer)) {
                throw new BrokerNotAnswering("the broker refused a management request: " + JMSManagementHelper.getResult(answer), null);
            }
            return JMSManagementHelper.getResult(answer);
        } catch (BrokerNotAnswering e) {
            throw e;
        } catch (Exception e) { // the helper declares Exception for a reply it cannot decode
            throw new BrokerNotAnswering("the broker's management reply could not be read: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Session session) throws JMSException;
    }

    private <T> T withSession(Work<T> work) {
        try (Connection connection = broker.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                return work.apply(session);
            }
        } catch (JMSException e) {
            throw new BrokerNotAnswering("the broker's management address could not be reached: " + e.getMessage(), e);
        }
    }
}
