package vn.huunghi.hub.edge;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.h2.tools.Server;
import vn.huunghi.hub.broker.EmbeddedBroker;

/**
 * The services a production hub uses instead of its embedded ones, for the packaged-hub tests:
 * a standalone persistent broker with the address settings docs/deployment.md gives, and a
 * database server; each can be stopped and started again on its data.
 */
final class StandaloneServices implements AutoCloseable {

    private final Path root;
    private final int brokerPort = HubProcess.freePort();
    private final int mqttPort = HubProcess.freePort();
    private final int databasePort = HubProcess.freePort();
    private final int maxDeliveryAttempts;
    private EmbeddedActiveMQ broker;
    private Server database;

    StandaloneServices(Path root) throws Exception {
        this(root, EmbeddedBroker.hubAddressSettings().getMaxDeliveryAttempts());
    }

    /** With a broker that parks a message in DLQ after fewer delivery attempts than docs/deployment.md gives. */
    StandaloneServices(Path root, int maxDeliveryAttempts) throws Exception {
        this.root = root;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        startBroker();
        startDatabase();
    }

    /** The settings that point a hub at these services instead of its embedded ones. */
    List<String> hubProperties() {
        return List.of("-Dhub.broker.embedded=false", "-Dhub.broker.url=tcp://127.0.0.1:" + brokerPort,
                "-Dhub.equipment.mqtt-broker-url=tcp://127.0.0.1:" + mqttPort, "-Dquarkus.datasource.jdbc.url=" + jdbcUrl());
    }

    /** The settings for a hub on these services and its own data folder that delivers to these partner endpoints. */
    List<String> deliveringHubProperties(Path dataDir, Map<String, String> partnerEndpoints, String... more) {
        List<String> properties = new ArrayList<>(hubProperties());
        properties.addAll(List.of("-Dhub.data-dir=" + dataDir, "-Dhub.outbox.deliver=true"));
        partnerEndpoints.forEach((key, value) -> properties.add("-D" + key + "=" + value));
        properties.addAll(List.of(more));
        return properties;
    }

    void startBroker() throws Exception {
        Configuration configuration = new ConfigurationImpl().setPersistenceEnabled(true).setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalDirectory(root.resolve("broker/journal").toString())
                .setBindingsDirectory(root.resolve("broker/bindings").toString())
                .setLargeMessagesDirectory(root.resolve("broker/large").toString())
                .setPagingDirectory(root.resolve("broker/paging").toString());
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE");
        configuration.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT");
        configuration.addAddressSetting("#", EmbeddedBroker.hubAddressSettings().setMaxDeliveryAttempts(maxDeliveryAttempts));
        broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
    }

    void stopBroker() throws Exception {
        broker.stop();
    }

    void startDatabase() throws Exception {
        database = Server.createTcpServer("-tcpPort", Integer.toString(databasePort), "-baseDir",
                root.resolve("db").toString(), "-ifNotExists").start();
    }

    /** Every connection a hub holds is cut. */
    void stopDatabase() {
        database.stop();
    }

    String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    /** Messages the broker has parked in its dead-letter queue (none when it never made one). */
    /** Messages parked at the dead-letter address: one queue per original queue (DLQ.edge.in.X), none named DLQ. */
    long deadLetterQueueDepth() throws Exception {
        return broker.getActiveMQServer().getPostOffice().listQueuesForAddress(SimpleString.of(EmbeddedBroker.DEAD_LETTER_ADDRESS))
                .stream().mapToLong(queue -> queue.getMessageCount()).sum();
    }

    long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "hub", "");
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private String jdbcUrl() {
        return "jdbc:h2:tcp://127.0.0.1:" + databasePort + "/hub";
    }

    @Override
    public void close() throws Exception {
        database.stop();
        broker.stop();
    }
}
