package vn.huunghi.hub.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker drops a copy by its duplicate-detection id while it runs, and its journal keeps
 * no record of the ids: acknowledged messages leave nothing behind that holds a journal file.
 */
@QuarkusTest
class DuplicateIdJournalTest {

    private static final SimpleString QUEUE = SimpleString.of("test.duplicate-ids");
    private static final int MESSAGES = 400;

    @Inject
    EmbeddedBroker broker;

    @Test
    void aCopyIsDroppedByItsIdAndTheJournalKeepsNoneOfTheIds() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.tcpAcceptorUrl());
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(false, true, true)) {
            session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            int recordsBefore = broker.journalRecords();
            ClientProducer producer = session.createProducer(QUEUE);
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(durable(session, "MSG-" + i));
            }
            producer.send(durable(session, "MSG-7"));
            assertEquals(MESSAGES, broker.messagesAdded(QUEUE.toString()), "the copy of MSG-7 was dropped");

            ClientConsumer consumer = session.createConsumer(QUEUE);
            session.start();
            for (int i = 0; i < MESSAGES; i++) {
                ClientMessage message = consumer.receive(5_000);
                assertNotNull(message, "message " + i);
                message.acknowledge();
            }
            assertNull(consumer.receiveImmediate(), "no second MSG-7");
            consumer.close();

            // the journal applies the acknowledgements' deletes on its own executor, after the consumer has closed;
            // a persisted id is a record until 20,000 later ids of its address push it out
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                int left = broker.journalRecords() - recordsBefore;
                assertTrue(left < MESSAGES / 10, left + " journal records left after " + MESSAGES + " messages were acknowledged");
            });
        }
    }

    private static ClientMessage durable(ClientSession session, String messageId) {
        ClientMessage message = session.createMessage(true);
        message.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of(messageId));
        message.getBodyBuffer().writeString("<doc id='" + messageId + "'/>");
        return message;
    }
}
