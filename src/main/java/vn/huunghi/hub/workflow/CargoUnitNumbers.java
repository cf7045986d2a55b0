package vn.huunghi.hub.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.sql.DataSource;
import vn.huunghi.hub.Transactions;

/** Hands out the day's cargo unit ids, CU-&lt;day&gt;-&lt;n&gt;, claimed from the day's counter row a block at a time. */
@ApplicationScoped
public class CargoUnitNumbers {

    /**
     * Numbers claimed per transaction on the counter row. A claim per cargo unit was a commit of its
     * own in every pre-declaration (on H2 6 % of the hub's CPU in the crash test, docs/performance.md);
     * a block costs one per fifty. The price: numbers claimed and not handed out when the hub stops
     * are never used (a gap of at most 49), and two instances' numbers interleave by block.
     */
    static final int BLOCK = 50;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private String claimedDay;
    private long next;
    private long lastClaimed;

    CargoUnitNumbers(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The next id for a cargo unit created at {@code now}. The claim is a short transaction of its
     * own: inside the workflow's transaction the counter row stayed locked until that transaction
     * committed, and pre-declarations ran one at a time. A workflow transaction that rolls back after
     * taking an id leaves a gap, never a repeat.
     */
    public synchronized String next(Instant now) throws SQLException {
        String day = DAY.format(now);
        if (!day.equals(claimedDay) || next > lastClaimed) {
            lastClaimed = Transactions.call(dataSource, connection -> claim(connection, day));
            next = lastClaimed - BLOCK + 1;
            claimedDay = day;
        }
        return String.format("CU-%s-%06d", day, next++);
    }

    // returns the last number of the block claimed
    private static long claim(Connection connection, String day) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE cargo_unit_counter SET last_value = last_value + ? WHERE counter_day = ?")) {
            update.setLong(1, BLOCK);
            update.setString(2, day);
            if (update.executeUpdate() == 0) {
                // the day's first claim; two at once: the one whose insert loses claims on the winner's row
                Savepoint beforeInsert = connection.setSavepoint();
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO cargo_unit_counter (counter_day, last_value) VALUES (?, ?)")) {
                    insert.setString(1, day);
                    insert.setLong(2, BLOCK);
                    insert.executeUpdate();
                } catch (SQLException e) {
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                    connection.rollback(beforeInsert);
                    update.executeUpdate();
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT last_value FROM cargo_unit_counter WHERE counter_day = ?")) {
            select.setString(1, day);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
