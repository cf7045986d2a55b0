package vn.huunghi.hub.edge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a 10,000-message run: the hub (its embedded broker and database with
 * it) dies at message 5,000, restarts on the same data folder, and the run finishes with nothing
 * lost and nothing doubled (what that means: {@link KillUnderLoad}), and the database holds every
 * workflow transaction whole.
 */
class HubCrashUnderLoadIT {

    /**
     * Deliveries one hub can have on the wire: four consumers on each of eight partner queues, twelve
     * on the declarant's (hub.outbox.consumers-per-partner, hub.outbox.declarant-consumers).
     */
    static final int DELIVERIES_IN_FLIGHT = 4 * 8 + 12;

    private final Path dataDir = Path.of("target", "crash-under-load-it").toAbsolutePath();
    private final int brokerPort = HubProcess.freePort();
    private final int mqttPort = HubProcess.freePort();
    private volatile PartnerClient nsw;
    private HubProcess hub;
    private KillUnderLoad run;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        run.close();
    }

    @Test
    void everyMessageHasOneVerdictAndEveryDeliveryHappensOnceAcrossAKill() throws Exception {
        HubProcess.deleteRecursively(dataDir);
        run = new KillUnderLoad(HubProcess.freePort());
        start();
        run.send(message -> nsw);
        run.awaitHalfAnswered();
        hub.kill(); // SIGKILL: no shutdown hook, no flush
        start();
        run.finishAndCheck(DELIVERIES_IN_FLIGHT);
        hub.close();
        hub = null;
        KillUnderLoad.checkEveryWorkflowTransactionWholeOrAbsent("jdbc:h2:file:" + dataDir.resolve("db").resolve("hub"));
    }

    private void start() throws Exception {
        List<String> properties = new ArrayList<>(List.of("-Dhub.data-dir=" + dataDir, "-Dhub.broker.tcp-port=" + brokerPort,
                "-Dhub.broker.mqtt-port=" + mqttPort, "-Dhub.outbox.deliver=true"));
        run.partnerSettings().forEach((key, value) -> properties.add("-D" + key + "=" + value));
        hub = HubProcess.start("crash-under-load", properties);
        nsw = new PartnerClient(hub.url("/soap/edge"), "vn-nsw");
    }
}
