package vn.huunghi.hub.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.v1.CargoUnitState;
import vn.huunghi.hub.workflow.CargoUnitStates;

/**
 * The business figures operators watch, as Prometheus gauges read from the database (the one
 * truth all hub instances share): cargo units at the gate by state and those that left it in the
 * last day, confirmations awaited per agency, outbox depth and open dead letters per partner,
 * audit entries not yet chained. Read at most once a second, however often scraped.
 */
@ApplicationScoped
@Startup
public class BusinessMetrics {

    private static final Logger LOG = Logger.getLogger(BusinessMetrics.class);
    private static final long FRESH_MILLIS = 1000;
    /** Through the index on required_agency's status (V16): the pending ones, not every one ever recorded. */
    static final String CONFIRMATIONS_AWAITED = "SELECT r.agency, COUNT(*) FROM required_agency r"
            + " JOIN cargo_unit u ON u.id = r.cargo_unit_id WHERE r.status = 'PENDING'"
            + " AND u.state NOT IN ('HELD', " + CargoUnitStates.FINAL_STATES_SQL + ") GROUP BY r.agency";

    /** Through the index cargo_unit_awaiting (state, updated_at): the cargo units at the gate, not the gate's history. */
    static final String CARGO_UNITS_AT_THE_GATE = "SELECT state, COUNT(*) FROM cargo_unit WHERE state IN ("
            + CargoUnitStates.OPEN_STATES_SQL + ") GROUP BY state";
    /** The same index: a day of finished cargo units, however long the gate's history. */
    static final String CARGO_UNITS_FINISHED_TODAY = "SELECT state, COUNT(*) FROM cargo_unit WHERE state IN ("
            + CargoUnitStates.FINAL_STATES_SQL + ") AND updated_at > CURRENT_TIMESTAMP - INTERVAL '1' DAY GROUP BY state";

    private final DataSource dataSource;
    private volatile Map<String, Long> figures = Map.of();
    private volatile long readAt;

    BusinessMetrics(DataSource dataSource, MeterRegistry registry, HubConfig config) {
        this.dataSource = dataSource;
        for (CargoUnitState state : CargoUnitState.values()) {
            if (CargoUnitStates.isFinal(state)) {
                gauge(registry, "hub.cargo.units.finished", "cargo units that reached this final state in the last 24 hours",
                        "state", state.value());
            } else {
                gauge(registry, "hub.cargo.units", "cargo units at the gate in this state", "state", state.value());
            }
        }
        List<String> parties = config.partners().keySet().stream().sorted().toList();
        for (String party : parties) {
            if (party.startsWith("VN-") && !party.equals("VN-NSW")) {
                gauge(registry, "hub.confirmations.awaited", "confirmations an agency has not given yet", "agency", party);
            }
            gauge(registry, "hub.outbox.depth", "outbound messages not yet delivered nor dead", "party", party);
            gauge(registry, "hub.outbox.dead.letters.open", "dead letters awaiting an operator", "party", party);
        }
        gauge(registry, "hub.audit.entries.unchained", "audit entries committed but not yet linked into the hash chain",
                "log", "audit");
    }

    private void gauge(MeterRegistry registry, String name, String description, String tag, String value) {
        String key = name + "|" + value;
        Gauge.builder(name, this, metrics -> metrics.figure(key)).description(description).tag(tag, value)
                .register(registry);
    }

    private double figure(String key) {
        if (System.currentTimeMillis() - readAt > FRESH_MILLIS) {
            synchronized (this) {
                if (System.currentTimeMillis() - readAt > FRESH_MILLIS) {
                    figures = read();
                    readAt = System.currentTimeMillis();
                }
            }
        }
        return figures.getOrDefault(key, 0L);
    }

    private Map<String, Long> read() {
        Map<String, Long> read = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            count(connection, read, "hub.cargo.units", CARGO_UNITS_AT_THE_GATE);
            count(connection, read, "hub.cargo.units.finished", CARGO_UNITS_FINISHED_TODAY);
            count(connection, read, "hub.confirmations.awaited", CONFIRMATIONS_AWAITED);
            count(connection, read, "hub.outbox.depth",
                    "SELECT party, COUNT(*) FROM outbox_unsettled GROUP BY party");
            count(connection, read, "hub.audit.entries.unchained", "SELECT 'audit', COUNT(*) FROM audit_pending");
            count(connection, read, "hub.outbox.dead.letters.open",
                    "SELECT party, COUNT(*) FROM dead_letter WHERE status = 'DEAD' GROUP BY party");
        } catch (SQLException e) {
            LOG.warnf("business figures not read: %s", e.getMessage());
            return figures;
        }
        return read;
    }

    private static void count(Connection connection, Map<String, Long> into, String name, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                into.put(name + "|" + rows.getString(1), rows.getLong(2));
            }
        }
    }
}
