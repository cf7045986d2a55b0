package vn.huunghi.hub.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Where a benchmark run's latency went, stage by stage, from the hub's own tables: edge to
 * workflow (received, processed), outbox wait (written, relayed), delivery (relayed, partner's
 * receipt kept). Arguments: the JDBC URL and the run's start (ISO instant); prints one line per stage.
 */
public final class StageLatency {

    private static final String[][] STAGES = {
        {"edge_to_workflow", "SELECT i.received_at, p.processed_at FROM inbound_message i"
                + " JOIN processed_message p ON p.message_id = i.message_id WHERE i.received_at >= ?"},
        {"outbox_to_relay", "SELECT created_at, relayed_at FROM outbox_message"
                + " WHERE relayed_at IS NOT NULL AND created_at >= ?"},
        {"relay_to_receipt", "SELECT o.relayed_at, d.delivered_at FROM outbox_message o"
                + " JOIN outbound_delivery d ON d.message_id = o.message_id WHERE o.created_at >= ?"},
    };

    public static void main(String[] args) throws Exception {
        Timestamp since = Timestamp.from(Instant.parse(args[1]));
        try (Connection db = DriverManager.getConnection(args[0], "postgres", "")) {
            for (String[] stage : STAGES) {
                System.out.println(stage[0] + " " + percentiles(db, stage[1], since));
            }
            System.out.println("relay_to_receipt_over_1s_by_second " + slowSeconds(db, since));
            for (String party : parties(db, since)) { // a slow partner queue shows here, not in the totals
                System.out.println("relay_to_receipt[" + party + "] " + percentiles(db, STAGES[2][1]
                        + " AND o.party = '" + party + "'", since));
            }
        }
    }

    // A stall of the whole hub shows as slow deliveries of every partner bunched in the same seconds.
    private static String slowSeconds(Connection db, Timestamp since) throws Exception {
        java.util.TreeMap<String, Integer> bySecond = new java.util.TreeMap<>();
        try (var statement = db.prepareStatement(STAGES[2][1])) {
            statement.setTimestamp(1, since);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getTimestamp(2).getTime() - rows.getTimestamp(1).getTime() > 1000) {
                        bySecond.merge(rows.getTimestamp(2).toInstant().toString().substring(11, 19), 1, Integer::sum);
                    }
                }
            }
        }
        return bySecond.toString();
    }

    private static List<String> parties(Connection db, Timestamp since) throws Exception {
        List<String> parties = new ArrayList<>();
        try (var statement = db.prepareStatement("SELECT DISTINCT party FROM outbox_message WHERE created_at >= ?"
                + " ORDER BY party")) {
            statement.setTimestamp(1, since);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    parties.add(rows.getString(1));
                }
            }
        }
        return parties;
    }

    private static String percentiles(Connection db, String query, Timestamp since) throws Exception {
        List<Long> millis = new ArrayList<>();
        try (var statement = db.prepareStatement(query)) {
            statement.setTimestamp(1, since);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    millis.add(rows.getTimestamp(2).getTime() - rows.getTimestamp(1).getTime());
                }
            }
        }
        if (millis.isEmpty()) {
            return "n=0";
        }
        Collections.sort(millis);
        return String.format(Locale.ROOT, "n=%d p50_ms=%d p99_ms=%d p99.9_ms=%d max_ms=%d", millis.size(),
                at(millis, 0.50), at(millis, 0.99), at(millis, 0.999), millis.get(millis.size() - 1));
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private StageLatency() {
    }
}
