package vn.huunghi.hub.equipment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.CatalogMessages;
import vn.huunghi.hub.catalog.v1.GateEventType;
import vn.huunghi.hub.catalog.v1.MessageType;
import vn.huunghi.hub.equipment.EquipmentAlarms.Kind;
import vn.huunghi.hub.workflow.CargoUnitWorkflow;

/**
 * Carries out barrier commands on the lanes' PLCs: the command coil is written, then read back,
 * and only a read-back that matches counts. A PLC that does not answer, or answers with the wrong
 * state, raises an alarm and the barrier counts as closed. An opened barrier is closed again
 * after the configured open time by a scheduled command on the same queue.
 */
@ApplicationScoped
@Named("barrierCommands")
public class BarrierCommands {

    /** The command being carried out (exchange property; it survives the PLC read that replaces the message). */
    public static final String COMMAND = "HubBarrierCommand";
    static final String ARTEMIS_SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";
    private static final String TAG = "command";
    private static final Logger LOG = Logger.getLogger(BarrierCommands.class);

    /** One command for one lane's barrier. */
    public record Command(String lane, String command, String cargoUnitId, String messageId, Instant issuedAt,
            String plc, String coil) {

        boolean open() {
            return "OPEN".equals(command);
        }

        /** Camel PLC4X endpoint that reads the command coil back. */
        public String readUri() {
            return "plc4x:" + plc + "?autoReconnect=true&tag." + TAG + "=" + coil;
        }

        /** Camel PLC4X endpoint that writes the command coil. */
        public String writeUri() {
            return "plc4x:" + plc + "?autoReconnect=true";
        }
    }

    private final Map<String, HubConfig.Equipment.Lane> lanes;
    private final Duration maxAge;
    private final Duration openTime;
    private final EquipmentAlarms alarms;
    private final DataSource dataSource;
    private final Clock clock;

    private final io.micrometer.core.instrument.MeterRegistry metrics;
    private final CargoUnitWorkflow workflow;

    BarrierCommands(HubConfig config, EquipmentAlarms alarms, DataSource dataSource, Clock clock,
            io.micrometer.core.instrument.MeterRegistry metrics, CargoUnitWorkflow workflow) {
        this.metrics = metrics;
        this.workflow = workflow;
        this.lanes = config.equipment().lanes();
        this.maxAge = config.equipment().barrierCommandMaxAge();
        this.openTime = config.equipment().barrierOpenTime();
        this.alarms = alarms;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Exchange property: true when the command is to be carried out. */
    public static final String CARRY_OUT = "HubBarrierCarryOut";

    /**
     * Reads the command from the queue message and makes the message the PLC write; a command that
     * must not be carried out (unknown lane, or too old: the vehicle may be gone) is flagged so.
     */
    public void prepare(Exchange exchange) {
        exchange.setProperty(CARRY_OUT, carryOut(exchange));
    }

    private boolean carryOut(Exchange exchange) {
        MessageType message = CatalogMessages.read(exchange.getIn().getBody(byte[].class));
        GateEventType event = message.getBody().getGateEvent();
        String lane = event.getBarrierState().getBarrierId();
        Instant issuedAt = event.getOccurredAt().toGregorianCalendar().toInstant();
        HubConfig.Equipment.Lane devices = lanes.get(lane);
        if (devices == null || devices.barrierCoil().isEmpty()) {
            alarms.raise("BARRIER-" + lane, Kind.BARRIER_UNKNOWN, event.getCargoUnitId(),
                    "a command for barrier " + lane
                    + ", which hub.equipment.lanes does not list; not carried out");
            return false;
        }
        Command command = new Command(lane, event.getBarrierState().getCommand(), event.getCargoUnitId(),
                message.getHeader().getMessageId(), issuedAt, devices.plc(), devices.barrierCoil().get());
        exchange.setProperty(COMMAND, command);
        if (command.open() && issuedAt.isBefore(clock.instant().minus(maxAge))) {
            alarms.raise("BARRIER-" + lane, Kind.BARRIER_COMMAND_EXPIRED, command.cargoUnitId(), "OPEN issued at "
                    + issuedAt + " reached the barrier after " + maxAge + "; not carried out");
            return false;
        }
        exchange.getIn().setBody(Map.of(TAG, Map.of(command.coil(), command.open())));
        return true;
    }

    /** A write the PLC4X producer could not make: the read-back will show it. */
    public void writeFailed(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Command command = exchange.getProperty(COMMAND, Command.class);
        LOG.warnf("writing %s for barrier %s failed: %s", command.command(), command.lane(),
                failure == null ? "?" : failure.getMessage());
    }

    /**
     * Checks the read-back (the message body is what the PLC answered: tag name to value, empty
     * when it did not answer). Returns the CLOSE command to schedule after a confirmed opening, else null.
     */
    public byte[] confirm(Exchange exchange) {
        Command command = exchange.getProperty(COMMAND, Command.class);
        Map<?, ?> answer = exchange.getIn().getBody(Map.class);
        Object value = answer == null ? null : answer.get(TAG);
        String device = "BARRIER-" + command.lane();
        metrics.counter("hub.equipment.barrier.commands", "device", device, "command", command.command()).increment();
        if (value == null) {
            alarms.raise(device, Kind.PLC_NOT_ANSWERING, command.cargoUnitId(), "PLC " + command.plc()
                    + " did not answer the " + command.command() + " command; the barrier counts as closed");
            record(command.lane(), "CLOSED", command.cargoUnitId(), "PLC not answering");
            return null;
        }
        boolean open = Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(value.toString())
                || "1".equals(value.toString());
        if (open != command.open()) {
            alarms.raise(device, Kind.BARRIER_WRONG_STATE, command.cargoUnitId(), command.command() + " commanded but "
                    + command.coil() + " reads " + value + (open ? "; the barrier may be stuck open" : "; the barrier"
                            + " counts as closed"));
            record(command.lane(), open ? "FAULT" : "CLOSED", command.cargoUnitId(), "wrong state read back");
            return null;
        }
        record(command.lane(), open ? "OPEN" : "CLOSED", command.cargoUnitId(), command.command() + " confirmed");
        if (!open) {
            return null;
        }
        if (wayOut(command.lane()) && command.cargoUnitId() != null) {
            // no device sees the vehicle pass: the confirmed opening of a way out is its exit
            workflow.recordExit(command.messageId(), command.cargoUnitId(), command.lane());
        }
        Instant closeAt = clock.instant().plus(openTime);
        // a new message: none of the OPEN's headers (its duplicate-detection id above all) carry over
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(ARTEMIS_SCHEDULED_DELIVERY, closeAt.toEpochMilli());
        exchange.getIn().setHeader(ARTEMIS_DUPLICATE_ID, java.util.UUID.randomUUID().toString());
        return GateEvents.barrierCommand(command.lane(), "CLOSE", command.cargoUnitId(), command.messageId(), closeAt);
    }

    /** Lanes where vehicles leave the gate: into Vietnam (EXIT...) or across the border line (BORDER...). */
    static boolean wayOut(String lane) {
        return lane.startsWith("EXIT") || lane.startsWith("BORDER");
    }

    /** The barrier's last confirmed state; CLOSED when nothing was ever confirmed. */
    public String state(String lane) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT state FROM gate_barrier WHERE barrier_id = ?")) {
            select.setString(1, lane);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : "CLOSED";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void record(String lane, String state, String cargoUnitId, String detail) {
        try (Connection connection = dataSource.getConnection()) {
            Timestamp now = Timestamp.from(clock.instant());
            try (PreparedStatement update = connection.prepareStatement("UPDATE gate_barrier SET state = ?,"
                    + " cargo_unit_id = ?, detail = ?, updated_at = ? WHERE barrier_id = ?")) {
                update.setString(1, state);
                update.setString(2, cargoUnitId);
                update.setString(3, detail);
                update.setTimestamp(4, now);
                update.setString(5, lane);
                if (update.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO gate_barrier (barrier_id, state,"
                    + " cargo_unit_id, detail, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, lane);
                insert.setString(2, state);
                insert.setString(3, cargoUnitId);
                insert.setString(4, detail);
                insert.setTimestamp(5, now);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("barrier " + lane + " state not recorded", e);
        }
    }

}
