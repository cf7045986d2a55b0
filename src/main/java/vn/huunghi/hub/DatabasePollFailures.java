package vn.huunghi.hub;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

/**
 * Reports the failed runs of a route that polls the database (routes/database-polls.yaml): counted
 * each time, logged once a minute per route. The next poll is the retry, so while the database is
 * away a stack trace per poll (several a second) would only bury the lines that matter.
 */
@ApplicationScoped
@Named("databasePollFailures")
public class DatabasePollFailures {

    private static final Logger LOG = Logger.getLogger(DatabasePollFailures.class);
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final MeterRegistry metrics;
    private final DatabaseReachability database;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();

    DatabasePollFailures(Clock clock, MeterRegistry metrics, DatabaseReachability database) {
        this.clock = clock;
        this.metrics = metrics;
        this.database = database;
    }

    public void failed(Exchange exchange) {
        String route = String.valueOf(exchange.getFromRouteId());
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        metrics.counter("hub.database.poll.failures", "route", route).increment();
        database.failed(failure); // polled twice a second, the first to notice an outage
        int unreported = due(route);
        if (unreported > 0) {
            LOG.warnf("route %s: %d run(s) failed on the database since the last report, the last with %s; it polls again",
                    route, unreported, describe(failure));
        }
    }

    /** Counts one failure of the route; answers how many to report now, or 0 while its last report is under a minute old. */
    int due(String route) {
        Report report = reports.computeIfAbsent(route, r -> new Report());
        synchronized (report) {
            report.unreported++;
            Instant now = clock.instant();
            if (report.lastReport != null && now.isBefore(report.lastReport.plus(REPORT_EVERY))) {
                return 0;
            }
            report.lastReport = now;
            int unreported = report.unreported;
            report.unreported = 0;
            return unreported;
        }
    }

    private static String describe(Throwable failure) {
        SQLException sql = Transactions.sqlCause(failure);
        return sql == null ? String.valueOf(failure) : sql.getClass().getSimpleName() + ": " + sql.getMessage();
    }

    private static final class Report {
        private Instant lastReport;
        private int unreported;
    }
}
