package vn.huunghi.hub.equipment;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** Raises equipment alarms for operators: kept in the database, counted in a metric, logged once. */
@ApplicationScoped
public class EquipmentAlarms {

    /** What went wrong: a stable code operators look up in docs/error-codes.md. */
    public enum Kind {
        PLATE_UNKNOWN, PLATE_READ_UNCERTAIN, PLC_NOT_ANSWERING, BARRIER_WRONG_STATE, BARRIER_COMMAND_EXPIRED,
        BARRIER_UNKNOWN, CONTAINER_UNKNOWN, ESEAL_TAMPER, ESEAL_OPENED, EXIT_NOT_RELEASED, HANDOVER_NOT_RELEASED,
        IGV_ERROR, IGV_CONNECTION_BROKEN
    }

    /** An alarm as operators see it. */
    public record Alarm(String device, String kind, String cargoUnitId, String detail) {
    }

    private static final Logger LOG = Logger.getLogger(EquipmentAlarms.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final MeterRegistry metrics;

    EquipmentAlarms(DataSource dataSource, Clock clock, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Raises an alarm in its own transaction. */
    public void raise(String device, Kind kind, String cargoUnitId, String detail) {
        try (Connection connection = dataSource.getConnection()) {
            raise(connection, device, kind, cargoUnitId, detail);
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the " + kind + " alarm of " + device, e);
        }
    }

    /** Raises an alarm inside the caller's transaction. */
    public void raise(Connection connection, String device, Kind kind, String cargoUnitId, String detail)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO equipment_alarm (raised_at, device,"
                + " kind, cargo_unit_id, detail) VALUES (?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setString(2, device);
            insert.setString(3, kind.name());
            insert.setString(4, cargoUnitId);
            insert.setString(5, detail.length() > 1000 ? detail.substring(0, 1000) : detail);
            insert.executeUpdate();
        }
        metrics.counter("hub.equipment.alarms", "kind", kind.name()).increment();
        LOG.warnf("equipment alarm %s on %s%s: %s", kind, device, cargoUnitId == null ? "" : " (" + cargoUnitId + ")",
                detail);
    }

    /** The alarms raised for a device, oldest first. */
    public List<Alarm> of(String device) {
        List<Alarm> alarms = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT device, kind, cargo_unit_id, detail"
                        + " FROM equipment_alarm WHERE device = ? ORDER BY id")) {
            select.setString(1, device);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    alarms.add(new Alarm(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return alarms;
    }
}
