package vn.huunghi.hub.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker reuses a journal file once every message in it is acknowledged, while MQTT
 * subscribers are connected: nothing that lives as long as a connection holds the files written after it.
 */
class JournalFileReuseTest {

    private static final SimpleString QUEUE = SimpleString.of("test.journal-reuse");
    private static final int BATCH = 100;
    private static final int BATCHES = 60; // about 6 journal files of 10 MiB: fewer than the 10 that start a compaction
    private static final byte[] DOCUMENT = new byte[8 * 1024];

    @TempDir
    Path root;

    @Test
    void acknowledgedMessagesFreeTheirJournalFilesWhileASubscriberIsConnected() throws Exception {
        String tcp = "tcp://127.0.0.1:" + freePort();
        String mqtt = "tcp://127.0.0.1:" + freePort();
        Configuration configuration = EmbeddedBroker.journalled(root, (int) TimeUnit.MICROSECONDS.toNanos(100));
        configuration.addAcceptorConfiguration("tcp", tcp + "?protocols=CORE");
        configuration.addAcceptorConfiguration("mqtt", mqtt + "?protocols=MQTT");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        MqttClient subscriber = new MqttClient(mqtt, "test-eseal-subscriber", new MemoryPersistence());
        try (ServerLocator locator = ActiveMQClient.createServerLocator(tcp);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(false, false, false)) {
            // as the hub's own routes subscribe: a clean start, QoS 1
            BlockingQueue<String> readings = new ArrayBlockingQueue<>(1);
            subscriber.connect();
            // paho's subscribe(topic, qos, listener) calls itself for ever (1.2.5)
            subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("gate/eseals", 1)}, new IMqttMessageListener[] {
                (topic, message) -> readings.add(new String(message.getPayload(), StandardCharsets.UTF_8))});

            session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            ClientProducer producer = session.createProducer(QUEUE);
            ClientConsumer consumer = session.createConsumer(QUEUE);
            session.start();
            for (int batch = 0; batch < BATCHES; batch++) {
                for (int i = 0; i < BATCH; i++) {
                    ClientMessage message = session.createMessage(true);
                    message.getBodyBuffer().writeBytes(DOCUMENT);
                    producer.send(message);
                }
                session.commit();
                for (int i = 0; i < BATCH; i++) {
                    ClientMessage message = consumer.receive(5_000);
                    assertNotNull(message, "message " + i + " of batch " + batch);
                    message.acknowledge();
                }
                session.commit();
            }

            JournalImpl journal = (JournalImpl) broker.getActiveMQServer().getStorageManager().getMessageJournal();
            // the journal reclaims its files on its own executor
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertTrue(journal.getDataFilesCount() <= 1,
                    journal.getDataFilesCount() + " journal files still in use after about 60 MB of messages were all acknowledged"));

            subscriber.publish("gate/eseals", new MqttMessage("{\"seal\":\"VNLS1\"}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("{\"seal\":\"VNLS1\"}", readings.poll(5, TimeUnit.SECONDS), "the subscription still delivers");
        } finally {
            if (subscriber.isConnected()) {
                subscriber.disconnect();
            }
            subscriber.close();
            broker.stop();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
