package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scale-out survives losing an instance: two hubs as competing consumers of one standalone
 * persistent broker and one database server share a 10,000-message run, each edge taking every
 * other message; at message 5,000 one instance is killed with kill -9 and not restarted. Its
 * partners' messages go to the survivor, as a load balancer would send them; the broker hands the
 * survivor whatever the dead instance had taken and not committed, and the survivor relays the
 * outbox rows the dead one wrote. The run finishes with nothing lost and nothing doubled (what
 * that means: {@link KillUnderLoad}), no dead letter and nothing left in the outbox.
 */
class InstanceKillUnderLoadIT {

    private final Path root = Path.of("target", "instance-kill-it").toAbsolutePath();
    private final List<HubProcess> hubs = new ArrayList<>();
    private volatile List<PartnerClient> edges = List.of();
    private StandaloneServices services;
    private KillUnderLoad run;

    @AfterEach
    void stop() throws Exception {
        for (HubProcess hub : hubs) {
            hub.close();
        }
        run.close();
        services.close();
    }

    @Test
    void theSurvivorFinishesTheRunWhenOneOfTwoInstancesIsKilled() throws Exception {
        HubProcess.deleteRecursively(root);
        services = new StandaloneServices(root);
        run = new KillUnderLoad(HubProcess.freePort());
        HubProcess alpha = start("alpha");
        HubProcess beta = start("beta");
        edges = List.of(new PartnerClient(alpha.url("/soap/edge"), "vn-nsw"), new PartnerClient(beta.url("/soap/edge"), "vn-nsw"));
        run.send(message -> {
            List<PartnerClient> live = edges;
            return live.get(message % live.size());
        });
        run.awaitHalfAnswered();
        beta.kill();
        hubs.remove(beta);
        edges = List.of(edges.get(0));
        run.finishAndCheck(HubCrashUnderLoadIT.DELIVERIES_IN_FLIGHT);
        KillUnderLoad.checkEveryWorkflowTransactionWholeOrAbsent(services.jdbcUrl());
        assertEquals(0, services.count("SELECT COUNT(*) FROM dead_letter"));
        assertEquals(0, services.count("SELECT COUNT(*) FROM outbox_message WHERE relayed_at IS NULL"));
        assertEquals(0, services.count("SELECT COUNT(*) FROM outbox_unrelayed"));
    }

    private HubProcess start(String name) throws Exception {
        HubProcess hub = HubProcess.start("instance-kill-" + name, services.deliveringHubProperties(root.resolve(name),
                run.partnerSettings(), "-Dhub.cluster.instance-id=" + name));
        hubs.add(hub);
        return hub;
    }
}
