package vn.huunghi.hub.broker;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;

/** The Artemis broker that runs inside the hub's JVM in the embedded default, with a persistent journal. */
@ApplicationScoped
public class EmbeddedBroker {

    static final String IN_VM_URL = "vm://0";
    /** Many more than the consumers of a queue across instances, so that groups spread over all of them. */
    public static final int GROUP_BUCKETS = 256;
    /** Where the broker parks a message after its last failed delivery: one queue per original queue, DLQ.<queue>. */
    public static final String DEAD_LETTER_ADDRESS = "DLQ";
    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);

    private final HubConfig config;
    private EmbeddedActiveMQ server;

    EmbeddedBroker(HubConfig config) {
        this.config = config;
    }

    /** Starts the broker once; called before the first connection is made. */
    public synchronized void ensureStarted() {
        if (server != null) {
            return;
        }
        try {
            EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
            embedded.setConfiguration(configuration());
            embedded.start();
            server = embedded;
            LOG.infof("Embedded Artemis broker started, journal in %s, TCP acceptor %s",
                    journalRoot(), tcpAcceptorUrl());
        } catch (Exception e) {
            throw new IllegalStateException("Embedded Artemis broker did not start", e);
        }
    }

    /** Records the embedded broker's message journal holds: unacknowledged messages and what else it keeps. */
    public int journalRecords() {
        ensureStarted();
        return ((org.apache.activemq.artemis.core.journal.impl.JournalImpl) server.getActiveMQServer().getStorageManager()
                .getMessageJournal()).getRecords().size();
    }

    public synchronized boolean isActive() {
        return server != null && server.getActiveMQServer().isActive();
    }

    /** Messages ever added to a queue of the embedded broker since it started (0 for a queue not yet created). */
    public long messagesAdded(String queue) {
        ensureStarted();
        org.apache.activemq.artemis.core.server.Queue found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getMessagesAdded();
    }

    /** How long the running broker's journal gathers durable writes before one fsync covers them. */
    public long journalBufferTimeoutNanos() {
        ensureStarted();
        return server.getActiveMQServer().getConfiguration().getJournalBufferTimeout_NIO();
    }

    public String tcpAcceptorUrl() {
        return "tcp://" + config.broker().tcpHost() + ":" + config.broker().tcpPort();
    }

    public String mqttAcceptorUrl() {
        return "tcp://" + config.broker().tcpHost() + ":" + config.broker().mqttPort();
    }

    public Path journalRoot() {
        return config.dataDir().resolve("broker").toAbsolutePath();
    }

    // at bean destruction, after Camel has stopped its JMS consumers: stopping sooner makes every
    // consumer fail its last receive on the way down
    @jakarta.annotation.PreDestroy
    synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private Configuration configuration() throws Exception {
        Configuration c = journalled(journalRoot(),
                (int) TimeUnit.MICROSECONDS.toNanos(config.broker().journalBufferTimeoutMicros()));
        c.addAcceptorConfiguration("in-vm", IN_VM_URL);
        c.addAcceptorConfiguration("tcp", tcpAcceptorUrl() + "?protocols=CORE");
        if (config.broker().mqttPort() > 0) {
            c.addAcceptorConfiguration("mqtt", mqttAcceptorUrl() + "?protocols=MQTT");
        }
        return c;
    }

    /** The embedded broker without its acceptors: a persistent journal under root, and the hub's address settings. */
    static Configuration journalled(Path root, int journalBufferTimeoutNanos) {
        Configuration c = new ConfigurationImpl();
        c.setName("hub-embedded");
        // NIO journal: works everywhere without libaio; every durable send is fsynced before it returns.
        c.setJournalType(JournalType.NIO);
        c.setJournalBufferTimeout_NIO(journalBufferTimeoutNanos);
        c.setPersistenceEnabled(true);
        // Each duplicate-detection id kept in the journal lives there until 20,000 later ids of its
        // address push it out, minutes after its message was acknowledged, and holds its journal file
        // from reuse; the broker then compacts the journal, reading every record of every file onto the
        // heap in seconds (docs/performance.md, session 37). Kept in memory only, the ids still drop a
        // copy sent while the broker runs; a copy sent again after a restart is recognised by the
        // database, as a redelivered message is (processed_message, outbound_delivery; docs/outbox.md).
        c.setPersistIDCache(false);
        // Artemis keeps each connected MQTT subscriber's subscriptions as a journal record for as long as
        // it stays connected: the hub's own e-seal and IGV routes, always. A journal file is reused only
        // once the files before it that it acknowledges messages of are reusable, so that one record held
        // every later file, and the broker compacted the journal every ten files at any load
        // (JournalFileReuseTest; docs/performance.md, session 38). Without the record a subscriber
        // subscribes again when it reconnects after a broker restart, as MQTT has a client do when the
        // broker answers that it holds no session; the hub's routes start clean and always do.
        c.setMqttSubscriptionPersistenceEnabled(false);
        c.setJournalDirectory(root.resolve("journal").toString());
        c.setBindingsDirectory(root.resolve("bindings").toString());
        c.setLargeMessagesDirectory(root.resolve("large-messages").toString());
        c.setPagingDirectory(root.resolve("paging").toString());
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.addAddressSetting("#", hubAddressSettings().setExpiryAddress(SimpleString.of("ExpiryQueue")));
        return c;
    }

    /**
     * What the hub needs of any broker it uses, embedded or standalone (docs/deployment.md): about
     * two minutes of redelivery before a message is parked in DLQ, for a message that fails with the
     * database up (while it is away the workflow holds its messages itself,
     * routes/workflow-database-outages.yaml); and message groups hashed into a fixed number of buckets. Without buckets
     * a queue remembers every group it has seen until its consumers close: one per cargo unit on
     * each outbox queue, a map that grows for as long as the broker runs. A bucket still goes to
     * one consumer at a time, so a cargo unit's (and a lane's) messages keep their order.
     */
    public static AddressSettings hubAddressSettings() {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_ADDRESS))
                .setAutoCreateDeadLetterResources(true)
                .setMaxDeliveryAttempts(10)
                .setRedeliveryDelay(500)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(30_000)
                .setDefaultGroupBuckets(GROUP_BUCKETS);
    }
}
