package vn.huunghi.hub;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Whether the database answers, known without asking it: a failure on the database starts a probe
 * off the caller's thread, and while the probe finds it away it says so until a later probe finds it
 * back. The edge refuses at once on it instead of holding each partner's request for the pool's
 * acquisition timeout (5 s) only to refuse it then.
 */
@ApplicationScoped
@Startup // its gauge is exported from the start, not from the first use
public class DatabaseReachability {

    private static final Logger LOG = Logger.getLogger(DatabaseReachability.class);
    private static final int PROBE_TIMEOUT_SECONDS = 2;
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    // long enough for the pool to check its idle connections against a database that answers (each
    // check of a dead one fails at once); a database that does not answer is away either way
    private static final Duration DROPPING_DEAD_CONNECTIONS = Duration.ofMillis(200);

    private final DataSource dataSource;
    private final Clock clock;
    private final AtomicReference<Instant> awaySince = new AtomicReference<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "hub-database-probe");
        thread.setDaemon(true);
        return thread;
    });

    public DatabaseReachability(DataSource dataSource, Clock clock, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.clock = clock;
        Gauge.builder("hub.database.away", this, reachability -> reachability.away() ? 1 : 0)
                .description("1 while the database does not answer (the edge refuses with HUB_UNAVAILABLE), else 0")
                .register(metrics);
    }

    /** True from a probe that found the database away until one that finds it back. */
    public boolean away() {
        return awaySince.get() != null;
    }

    /** A step failed: when it failed on the database, a probe (not on this thread) finds out whether the database answers. */
    public void failed(Throwable failure) {
        if (Transactions.sqlCause(failure) != null && probing.compareAndSet(false, true)) {
            prober.execute(this::probe);
        }
    }

    /**
     * Asks the database now, as the pool would hand out the next connection; waits at most the
     * pool's acquisition timeout, twice when the connection lent was dead (ask, below). The pool
     * cannot tell "down" from "busy" by its exception (an acquisition timeout has no SQL state), so
     * only asking tells. Finding it away counts as a probe's finding: the edge refuses from then on,
     * and the probe asks until it answers.
     */
    public boolean answers() {
        if (ask()) {
            return true;
        }
        wentAway();
        if (probing.compareAndSet(false, true)) {
            probeAgainLater();
        }
        return false;
    }

    // package-private: the tests call it where the hub lets the prober's thread call it
    void probe() {
        if (ask()) {
            Instant since = awaySince.getAndSet(null);
            probing.set(false);
            if (since != null) {
                LOG.infof("The database answers again after %d s away; the edge accepts again",
                        Duration.between(since, clock.instant()).toSeconds());
            }
            return;
        }
        wentAway();
        probeAgainLater();
    }

    /**
     * The pool checks a connection only when it has been idle (application.properties), so the one
     * lent may be a connection the database dropped when it restarted: then every such connection is
     * dropped from the pool and the database asked once more before it is called away. When the pool
     * could lend none, the database is away and there is nothing to drop.
     */
    private boolean ask() {
        try {
            if (lentConnectionAnswers()) {
                return true;
            }
        } catch (SQLException noConnection) {
            return false;
        }
        if (!(dataSource instanceof AgroalDataSource pool)) {
            return false;
        }
        pool.flush(AgroalDataSource.FlushMode.INVALID);
        try {
            Thread.sleep(DROPPING_DEAD_CONNECTIONS.toMillis());
            return lentConnectionAnswers();
        } catch (SQLException noConnection) {
            return false;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean lentConnectionAnswers() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(PROBE_TIMEOUT_SECONDS);
        }
    }

    private void wentAway() {
        if (awaySince.compareAndSet(null, clock.instant())) {
            LOG.warn("The database does not answer: the edge refuses with HUB_UNAVAILABLE until it does;"
                    + " asked again every " + PROBE_EVERY.toSeconds() + " s");
        }
    }

    private void probeAgainLater() {
        try {
            prober.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            probing.set(false);
        }
    }

    @PreDestroy
    void stop() {
        prober.shutdownNow();
    }
}
