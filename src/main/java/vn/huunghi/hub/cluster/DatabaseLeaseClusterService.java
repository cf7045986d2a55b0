package vn.huunghi.hub.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;

/**
 * Camel master over leases in the hub's database: the instance holding an unexpired lease on a
 * namespace is its leader. Hub instances already share the database, so leadership needs no
 * further coordinator; a leader that stops renewing (killed, cut off) is replaced once its lease
 * lapses. Lease times are the instances' clocks, which must be kept in step (NTP).
 */
@ApplicationScoped
@Named("databaseLeases")
public class DatabaseLeaseClusterService extends AbstractCamelClusterService<DatabaseLeaseClusterService.LeaseView> {

    private static final Logger LOG = Logger.getLogger(DatabaseLeaseClusterService.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final String instanceId;
    private final long leaseMillis;
    private final long renewMillis;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hub-cluster-leases");
        thread.setDaemon(true);
        return thread;
    });

    DatabaseLeaseClusterService(DataSource dataSource, Clock clock, HubConfig config, HubInstance instance) {
        super("database-leases");
        this.dataSource = dataSource;
        this.clock = clock;
        this.instanceId = instance.id();
        this.leaseMillis = config.cluster().leaseDuration().toMillis();
        this.renewMillis = config.cluster().renewInterval().toMillis();
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    protected LeaseView createView(String namespace) {
        return new LeaseView(namespace);
    }

    /** One namespace's lease, renewed (or contended for) on a fixed period. */
    final class LeaseView extends AbstractCamelClusterView {

        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public String getId() {
                return instanceId;
            }

            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }
        };
        private volatile boolean leader;
        private ScheduledFuture<?> renewal;

        LeaseView(String namespace) {
            super(DatabaseLeaseClusterService.this, namespace);
        }

        @Override
        protected void doStart() {
            renewal = renewals.scheduleWithFixedDelay(this::renewOrContend, 0, renewMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            if (renewal != null) {
                renewal.cancel(false);
            }
            if (leader) {
                release();
            }
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        private void renewOrContend() {
            boolean holds;
            try {
                holds = tryLease();
            } catch (Exception e) {
                // cannot tell whether the lease is still ours: stand down rather than risk two leaders
                LOG.warnf("lease %s could not be renewed (%s); standing down", getNamespace(), e.getMessage());
                holds = false;
            }
            if (holds != leader) {
                leader = holds;
                LOG.infof("%s %s the leader of %s", instanceId, holds ? "is now" : "is no longer", getNamespace());
                fireLeadershipChangedEvent(holds ? local : null);
            }
        }

        private boolean tryLease() throws SQLException {
            long now = clock.millis();
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (PreparedStatement update = connection.prepareStatement("UPDATE cluster_lease SET holder = ?,"
                        + " expires_millis = ? WHERE namespace = ? AND (holder = ? OR expires_millis < ?)")) {
                    update.setString(1, instanceId);
                    update.setLong(2, now + leaseMillis);
                    update.setString(3, getNamespace());
                    update.setString(4, instanceId);
                    update.setLong(5, now);
                    if (update.executeUpdate() == 1) {
                        return true;
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO cluster_lease (namespace, holder, expires_millis) VALUES (?, ?, ?)")) {
                    insert.setString(1, getNamespace());
                    insert.setString(2, instanceId);
                    insert.setLong(3, now + leaseMillis);
                    insert.executeUpdate();
                    return true;
                } catch (SQLException taken) {
                    if ("23505".equals(taken.getSQLState())) {
                        return false; // another instance holds it
                    }
                    throw taken;
                }
            }
        }

        private void release() {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement update = connection.prepareStatement(
                            "UPDATE cluster_lease SET expires_millis = 0 WHERE namespace = ? AND holder = ?")) {
                update.setString(1, getNamespace());
                update.setString(2, instanceId);
                update.executeUpdate();
            } catch (SQLException e) {
                LOG.warnf("lease %s not released (%s); it lapses on its own", getNamespace(), e.getMessage());
            }
            leader = false;
        }
    }
}
