package vn.huunghi.hub.equipment;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A device publishing one message over MQTT (QoS 1), as the e-seal gateway and the IGVs do. */
public final class TestMqtt {

    private TestMqtt() {
    }

    public static void publish(String brokerUrl, String topic, String payload) {
        try {
            MqttClient client = new MqttClient(brokerUrl, "test-device-" + UUID.randomUUID(), new MemoryPersistence());
            client.connect();
            try {
                MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                client.publish(topic, message);
            } finally {
                client.disconnect();
                client.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic + " at " + brokerUrl, e);
        }
    }
}
