package vn.huunghi.hub.edge;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.h2.tools.Server;
import vn.huunghi.hub.broker.EmbeddedBroker;

/**
 * The services a production hub uses instead of its embedded ones, for the packaged-hub tests:
 * a standalone persistent broker with the address settings docs/deployment.md gives, and a
 * database server in a process of its own; each can be stopped and started again on its data.
 */
final class StandaloneServices implements AutoCloseable {

    private final Path root;
    private final int brokerPort = HubProcess.freePort();
    private final int mqttPort = HubProcess.freePort();
    private final int databasePort = HubProcess.freePort();
    private final int maxDeliveryAttempts;
    private EmbeddedActiveMQ broker;
    private Process database;

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

    /**
     * H2's TCP server in its own JVM, as a database server runs: the test JVM's load does not slow it,
     * and H2's internal assertions stay off as in production (under Failsafe's -ea one tripped while
     * the server closed a busy database, h2database/h2database#3764, not a fault of the hub's).
     */
    void startDatabase() throws Exception {
        String h2 = Path.of(Server.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path log = root.resolve("database-server.log");
        Files.createDirectories(root);
        database = new ProcessBuilder(HubProcess.JAVA, "-Xmx256m",
                "-cp", h2, "org.h2.tools.Server", "-tcp", "-tcpPort", Integer.toString(databasePort),
                "-baseDir", root.resolve("db").toString(), "-ifNotExists")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Process started = database;
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> listening(databasePort) || !started.isAlive());
        } catch (RuntimeException notListening) {
            started.destroyForcibly();
            throw notListening;
        }
        if (!started.isAlive()) {
            throw new IllegalStateException("the database server stopped: see " + log);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** Every connection a hub holds is cut: a service stop (SIGTERM), in which H2 closes its databases. */
    void stopDatabase() throws InterruptedException {
        database.destroy();
        if (!database.waitFor(60, TimeUnit.SECONDS)) {
            database.destroyForcibly().waitFor();
            throw new IllegalStateException("the database server did not stop within 60 s of SIGTERM");
        }
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

    String jdbcUrl() {
        return "jdbc:h2:tcp://127.0.0.1:" + databasePort + "/hub";
    }

    @Override
    public void close() throws Exception {
        stopDatabase();
        broker.stop();
    }
}
