package vn.huunghi.hub.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import vn.huunghi.hub.HubConfig;

/** This hub instance's name among the instances sharing one database: leases and outbox rows carry it. */
@ApplicationScoped
public class HubInstance {

    private final String id;

    HubInstance(HubConfig config) {
        this.id = config.cluster().instanceId().orElseGet(HubInstance::hostAndProcess);
    }

    public String id() {
        return id;
    }

    private static String hostAndProcess() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ManagementFactory.getRuntimeMXBean().getPid();
        } catch (Exception e) {
            return "hub/" + ManagementFactory.getRuntimeMXBean().getPid();
        }
    }
}
