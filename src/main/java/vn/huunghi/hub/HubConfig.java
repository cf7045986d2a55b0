package vn.huunghi.hub;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every setting of the hub, under the one prefix {@code hub.}. */
@ConfigMapping(prefix = "hub")
public interface HubConfig {

    /**
     * Folder for the embedded broker's journal, the embedded database and the message archive: an
     * absolute path, or one starting with ./ (the embedded H2 database's URL takes it as it is).
     */
    @WithDefault("./data")
    Path dataDir();

    Broker broker();

    interface Broker {
        /** true: run Artemis inside this JVM; false: connect to {@link #url()}. */
        @WithDefault("true")
        boolean embedded();

        /** Client URL when the broker is standalone (several hub instances, live/backup pair). */
        Optional<String> url();

        Optional<String> user();

        Optional<String> password();

        /** Loopback TCP acceptor of the embedded broker, for tools and other local clients. */
        @WithDefault("127.0.0.1")
        String tcpHost();

        @WithDefault("61616")
        int tcpPort();

        /** The embedded broker's MQTT acceptor (e-seals, IGVs); 0: none. */
        @WithDefault("1883")
        int mqttPort();

        /**
         * How long the embedded broker's journal gathers durable writes before one fsync covers them
         * all (Artemis's journal-buffer-timeout). Artemis's own default for the NIO journal, 3,333 µs,
         * is set for slow disks: every durable send and commit waits for it. `artemis create` measures
         * the disk and picks the value (docs/deployment.md).
         */
        @WithDefault("100")
        int journalBufferTimeoutMicros();
    }

    Crypto crypto();

    Rules rules();

    Workflow workflow();

    /** Where the agency-selection rules and agency views are read from. */
    interface Rules {
        /**
         * A folder holding agency-selection.yaml and agency-views.yaml, re-read whenever a file
         * changes; when absent, the copies packaged with the hub (classpath rules/) are used.
         */
        Optional<Path> dir();
    }

    interface Workflow {
        /** false: the workflow routes do not start (an edge-only instance, or a test of the edge alone). */
        @WithDefault("true")
        boolean consume();

        /** Weighing within this fraction of the declared gross mass counts as done. */
        @WithDefault("0.02")
        double weightTolerance();

        /** Gross masses of the Vietnamese and the Chinese declaration further apart than this are a discrepancy. */
        @WithDefault("0.05")
        double nanningMassTolerance();
    }

    Edge edge();

    /** The partner table: who may send what, keyed by party code (the signer certificate's CN). */
    Map<String, Partner> partners();

    /** The hub's signing key and the trust anchors for partner signatures. Dev PKI by default. */
    interface Crypto {
        Path keystore();

        String keystorePassword();

        String keyAlias();

        Path truststore();

        String truststorePassword();

        /** CRL files (DER or PEM) checked for every signer certificate; none: revocation not checked. */
        Optional<List<Path>> crls();

        /** accp: the Amazon Corretto Crypto Provider first where it loads, else the JDK's; jdk: the JDK's alone. */
        @WithDefault("accp")
        String provider();
    }

    interface Edge {
        @WithDefault("5242880")
        int maxDocumentBytes();

        @WithDefault("64")
        int maxDepth();

        @WithDefault("50000")
        int maxElements();

        /** A message whose createdAt is further than this from the hub's clock is a possible replay. */
        @WithDefault("PT15M")
        Duration replayWindow();

        /** How long after a first copy's arrival a second copy waits for it to be queued before completing it itself. */
        @WithDefault("PT10S")
        Duration duplicateWait();

        /** How often the ledger's rows of queued messages are marked ACCEPTED, a batch per transaction. */
        @WithDefault("100")
        long ledgerMarkPeriodMillis();
    }

    Audit audit();

    /** The hash-chained audit log: entries are linked into the chain after their transactions commit. */
    interface Audit {
        /** How often the audit chainer links committed entries into the chain. */
        @WithDefault("500")
        long chainPeriodMillis();

        /** Entries the audit chainer links in one transaction. */
        @WithDefault("500")
        int chainBatchSize();
    }

    interface Partner {
        /** Message types this party may send to the hub. */
        Optional<Set<String>> maySend();

        /** Signature algorithm URIs this party may sign with; RSA-SHA256 and ECDSA-SHA256 when not set. */
        Optional<Set<String>> signatureAlgorithms();

        /** Where the outbox delivers this party's messages (its SOAP endpoint, HTTPS with mutual TLS). */
        Optional<String> endpoint();
    }

    Outbox outbox();

    StubPartners stubPartners();

    Equipment equipment();

    interface Equipment {
        /** MQTT broker the e-seals and IGVs publish to; by default the embedded broker's MQTT acceptor. */
        String mqttBrokerUrl();

        /** MQTT topic on which the e-seal gateway publishes seal events. */
        @WithDefault("gate/eseals")
        String esealTopic();

        Yard yard();

        Anpr anpr();

        /** The gate's lanes by id (ENTRY-1, EXIT-1, BORDER-1 ...): the PLC behind each lane's barrier and scale. */
        Map<String, Lane> lanes();

        /** How long a barrier stays open before the hub closes it again. */
        @WithDefault("20s")
        Duration barrierOpenTime();

        /** A barrier command older than this (the hub was down, the queue backed up) is not carried out. */
        @WithDefault("30s")
        Duration barrierCommandMaxAge();

        /** How often a scale is read while a vehicle waits on it to be weighed. */
        @WithDefault("500")
        long scalePollMillis();

        /** How long to wait for a PLC's answer before raising the alarm. */
        @WithDefault("2000")
        long plcTimeoutMillis();

        Igv igv();

        /** The IGV fleet, commanded over VDA 5050 with the hub as master control. */
        interface Igv {
            /** Topic prefix: interface name and major version (topics are prefix/manufacturer/serial/topic). */
            @WithDefault("uagv/v2")
            String topicPrefix();

            @WithDefault("HUUNGHI-IGV")
            String manufacturer();

            /** Serial numbers of the IGVs; none: released exports are not moved by IGV. */
            Optional<List<String>> vehicles();

            /** Node where released export containers wait to be picked up. */
            @WithDefault("EXPORT-YARD")
            String pickupNode();

            /** Node at the border line where Nanning's side takes the container over. */
            @WithDefault("BORDER-HANDOVER")
            String handoverNode();
        }

        /** The export/import yard's bounding box: an e-seal opened outside it holds its cargo unit. */
        interface Yard {
            @WithDefault("21.8440")
            double minLatitude();

            @WithDefault("21.8530")
            double maxLatitude();

            @WithDefault("106.7570")
            double minLongitude();

            @WithDefault("106.7680")
            double maxLongitude();
        }

        interface Anpr {
            /** A plate read under this confidence keeps the barrier closed and raises an alarm. */
            @WithDefault("0.85")
            double minConfidence();

            /** A read older than this no longer opens a barrier: the vehicle may be gone. */
            @WithDefault("30s")
            Duration maxReadAge();
        }

        /** One lane: its barrier (a command coil) and, optionally, its weighbridge indicator. */
        interface Lane {
            /** PLC4X connection string of the lane's PLC, e.g. modbus-tcp://10.20.1.11:502. */
            String plc();

            /** Coil commanding the barrier: 1 open, 0 closed (PLC4X address, 1-based). */
            Optional<String> barrierCoil();

            /** Gross weight in kg as a 32-bit unsigned value over two holding registers, high word first. */
            Optional<String> scaleGrossWeight();

            /** Weighbridge status register: bit 0 motion, bit 1 stable, bit 2 overload. */
            Optional<String> scaleStatus();
        }
    }

    Cluster cluster();

    Ops ops();

    Recorder recorder();

    /** The fixture recorder: when a folder is set, every inbound and outbound message is written there. */
    interface Recorder {
        /** Folder to record into (layout: docs/fixtures.md); absent: nothing is recorded. */
        Optional<Path> dir();
    }

    /** Who may use the operator page and the operators' API (/ops/...). */
    interface Ops {
        /** Certificate CNs of the operators; their client certificates must come from a trusted CA. */
        @WithDefault("HUB-OPERATOR")
        Set<String> operators();
    }

    /** Leadership among hub instances sharing one database (Camel master over database leases). */
    interface Cluster {
        /** This instance's name in the lease table; by default host name and process id. */
        Optional<String> instanceId();

        /** A leader that has not renewed its lease for this long is replaced. */
        @WithDefault("10s")
        Duration leaseDuration();

        /** How often the leader renews its lease and followers try to take a lapsed one. */
        @WithDefault("2s")
        Duration renewInterval();
    }

    /** DEV ONLY: stub partners run inside the hub (profile stub-partners). */
    interface StubPartners {
        /** Loopback HTTPS port of the stub partners; 0: none. */
        @WithDefault("0")
        int port();
    }

    /** Delivery of outbound messages: retries with exponential backoff and jitter, then a dead letter. */
    interface Outbox {
        /** false: messages wait on their partner queues (the embedded default, with no partner to reach). */
        @WithDefault("false")
        boolean deliver();

        /** Attempts after the first before a message becomes a dead letter. */
        @WithDefault("20")
        int maxRedeliveries();

        @WithDefault("1000")
        long initialDelayMillis();

        @WithDefault("60000")
        long maxDelayMillis();

        /** Consumers per partner queue; one JMS group per cargo unit keeps its messages in order. */
        @WithDefault("4")
        int consumersPerPartner();

        /** Consumers of the declarant's queue (VN-NSW), which carries every cargo unit's statuses. */
        @WithDefault("12")
        int declarantConsumers();

        /**
         * How often the relay looks for outbox rows besides the runs a commit asks for: rows a crash
         * left behind, or another instance wrote.
         */
        @WithDefault("500")
        long relayPeriodMillis();

        /**
         * true: a workflow transaction's outbox rows are relayed by its own thread as soon as it
         * commits, and the relay route takes this instance's rows only once they are a relay period
         * old; false (the default: no gain measured, docs/performance.md session 26): every row waits
         * for the route, which runs at every commit.
         */
        @WithDefault("false")
        boolean relayAtCommit();

        /** Rows the relay moves in one broker transaction. */
        @WithDefault("100")
        int relayBatchSize();

        /**
         * Each instance relays the outbox rows it wrote; rows another instance wrote and has not
         * relayed for this long are relayed by any instance (that one died or is stuck).
         */
        @WithDefault("5000")
        long adoptAfterMillis();
    }
}
