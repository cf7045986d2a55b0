package vn.huunghi.hub.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Where a benchmark run's latency went, stage by stage, from the hub's own tables: edge to
 * workflow (received, processed), outbox wait (written, relayed), delivery (relayed, partner's
 * receipt kept), the first also per message type and the last per partner; the load generator prints
 * them after each run.
 */
public final class StageLatency {

    private static final String[][] STAGES = {
        {"edge_to_workflow", "SELECT i.received_at, p.processed_at FROM inbound_message i"
                + " JOIN processed_message p ON p.message_id = i.message_id WHERE i.received_at >= ?"},
        {"outbox_to_relay", "SELECT created_at, relayed_at FROM outbox_message"
                + " WHERE relayed_at IS NOT NULL AND created_at >= ?"},
        {"relay_to_receipt", "SELECT o.relayed_at, d.delivered_at, o.party FROM outbox_message o"
                + " JOIN outbound_delivery d ON d.message_id = o.message_id WHERE o.created_at >= ?"},
    };

    /** Prints the stages of the documents received from {@code measuredFrom}, each line after {@code prefix}. */
    static void print(String jdbcUrl, Instant measuredFrom, Instant runStart, String prefix) throws SQLException, IOException {
        Timestamp since = Timestamp.from(measuredFrom);
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            for (String[] stage : STAGES) {
                System.out.println(prefix + stage[0] + " " + percentiles(db, stage[1], since));
            }
            // a query no index serves reads its whole table each time, a cost that grows with the gate's history
            System.out.println(prefix + "sequential_scans_since_database_start" + perTable(db, "SELECT relname, seq_scan,"
                    + " seq_tup_read, COALESCE(idx_scan, 0) FROM pg_stat_user_tables WHERE seq_tup_read > 0"
                    + " ORDER BY seq_tup_read DESC FETCH FIRST 6 ROWS ONLY", "scans=%d,rows=%d,index_scans=%d"));
            // the largest tables, with the out-of-line storage of their documents (TOAST): each named, since
            // PostgreSQL's log names a TOAST table by its owner's number only (pg_toast_<oid>)
            StringBuilder largest = new StringBuilder();
            try (PreparedStatement tables = db.prepareStatement("SELECT c.relname, c.reltoastrelid::regclass::text,"
                    + " pg_relation_size(c.oid), CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_relation_size(c.reltoastrelid) END"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                    + " AND c.relkind = 'r' ORDER BY pg_table_size(c.oid) DESC FETCH FIRST 6 ROWS ONLY");
                    ResultSet rows = tables.executeQuery()) {
                while (rows.next()) {
                    largest.append(String.format(Locale.ROOT, " %s:mb=%d,toast=%s,toast_mb=%d", rows.getString(1),
                            rows.getLong(3) >> 20, rows.getString(2), rows.getLong(4) >> 20));
                }
            }
            System.out.println(prefix + "largest_tables" + largest);
            // the write-ahead log every commit waits for; a full-page image is a page logged whole, the first
            // time it changes after a checkpoint
            try (PreparedStatement wal = db.prepareStatement(
                    "SELECT wal_records, wal_fpi, wal_bytes, wal_buffers_full FROM pg_stat_wal");
                    ResultSet row = wal.executeQuery()) {
                row.next();
                System.out.println(String.format(Locale.ROOT, "%swal_since_database_start records=%d full_page_images=%d mb=%d"
                        + " buffers_full=%d", prefix, row.getLong(1), row.getLong(2), row.getBigDecimal(3).longValue() >> 20,
                        row.getLong(4)));
            }
            // the work behind PostgreSQL's backends' CPU, a fifth of the machine (session 24): transactions,
            // rows and buffers, and each table's row changes (an update that is not HOT writes every index
            // again), since the database started; the paced run's share over its documents is a document's
            try (PreparedStatement database = db.prepareStatement("SELECT xact_commit, xact_rollback, tup_returned,"
                    + " tup_fetched, tup_inserted, tup_updated, tup_deleted, blks_hit, blks_read FROM pg_stat_database"
                    + " WHERE datname = current_database()");
                    ResultSet row = database.executeQuery()) {
                row.next();
                System.out.println(String.format(Locale.ROOT, "%sdatabase_since_start commits=%d rollbacks=%d rows_returned=%d"
                        + " rows_fetched=%d inserted=%d updated=%d deleted=%d buffers_hit=%d buffers_read=%d", prefix,
                        row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5), row.getLong(6),
                        row.getLong(7), row.getLong(8), row.getLong(9)));
            }
            System.out.println(prefix + "row_changes_since_database_start" + perTable(db, "SELECT relname, n_tup_ins,"
                    + " n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables"
                    + " ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC FETCH FIRST 12 ROWS ONLY", "inserted=%d,updated=%d,hot=%d,deleted=%d"));
            String timeline = System.getProperty("bench.timeline");
            if (timeline != null) { // every delivery of the run, to find when the slow ones happened
                writeTimeline(db, since, Path.of(timeline + "-" + prefix.replaceAll("[^a-z0-9]", "") + ".csv"));
            }
            List<String> parties = new ArrayList<>();
            rows(db, "SELECT DISTINCT party FROM outbox_message WHERE created_at >= ? ORDER BY party", since,
                    row -> parties.add(row.getString(1)));
            for (String party : parties) { // a slow partner queue shows here, not in the totals
                System.out.println(prefix + "relay_to_receipt[" + party + "] "
                        + percentiles(db, STAGES[2][1] + " AND o.party = ?", since, party));
            }
            List<String> types = new ArrayList<>();
            rows(db, "SELECT DISTINCT message_type FROM inbound_message WHERE received_at >= ? ORDER BY message_type",
                    since, row -> types.add(row.getString(1)));
            for (String type : types) { // each type has its own queue and workflow consumers
                System.out.println(prefix + "edge_to_workflow[" + type + "] "
                        + percentiles(db, STAGES[0][1] + " AND i.message_type = ?", since, type));
            }
        }
    }

    private static void writeTimeline(Connection db, Timestamp since, Path csv) throws SQLException, IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("party,cargo_unit,message_type,created_ms,relayed_ms,delivered_ms");
            rows(db, "SELECT o.party, o.cargo_unit_id, o.message_type, o.created_at, o.relayed_at, d.delivered_at"
                    + " FROM outbox_message o JOIN outbound_delivery d ON d.message_id = o.message_id WHERE o.created_at >= ?",
                    since, row -> out.println(String.join(",", row.getString(1), row.getString(2), row.getString(3),
                            String.valueOf(row.getTimestamp(4).getTime()), String.valueOf(row.getTimestamp(5).getTime()),
                            String.valueOf(row.getTimestamp(6).getTime()))));
        }
    }

    // A stall of the whole hub shows as slow deliveries of every partner bunched in the same seconds;
    // a backlog on one partner queue as that partner alone.
    private static String slowSeconds(Connection db, Timestamp since) throws SQLException {
        TreeMap<String, TreeMap<String, Integer>> bySecond = new TreeMap<>();
        rows(db, STAGES[2][1], since, row -> {
            if (millisBetween(row) > 1000) {
                bySecond.computeIfAbsent(row.getTimestamp(2).toInstant().toString().substring(11, 19), second -> new TreeMap<>())
                        .merge(row.getString(3), 1, Integer::sum);
            }
        });
        return bySecond.toString();
    }

    private static String percentiles(Connection db, String query, Timestamp since, String... more) throws SQLException {
        List<Long> millis = new ArrayList<>();
        rows(db, query, since, row -> millis.add(millisBetween(row)), more);
        if (millis.isEmpty()) {
            return "n=0";
        }
        Collections.sort(millis);
        return String.format(Locale.ROOT, "n=%d p50_ms=%d p99_ms=%d p99.9_ms=%d max_ms=%d", millis.size(),
                at(millis, 0.50), at(millis, 0.99), at(millis, 0.999), millis.get(millis.size() - 1));
    }

    private static long millisBetween(ResultSet row) throws SQLException {
        return row.getTimestamp(2).getTime() - row.getTimestamp(1).getTime();
    }

    private interface Row {
        void accept(ResultSet row) throws SQLException;
    }

    /** " table:figures" for each row of a query whose first column names a table and whose others are counts. */
    private static String perTable(Connection db, String query, String figures) throws SQLException {
        StringBuilder line = new StringBuilder();
        try (PreparedStatement tables = db.prepareStatement(query); ResultSet rows = tables.executeQuery()) {
            Object[] counts = new Object[rows.getMetaData().getColumnCount() - 1];
            while (rows.next()) {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = rows.getLong(i + 2);
                }
                line.append(' ').append(rows.getString(1)).append(':').append(String.format(Locale.ROOT, figures, counts));
            }
        }
        return line.toString();
    }

    private static void rows(Connection db, String query, Timestamp since, Row each, String... more) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(query)) {
            statement.setTimestamp(1, since);
            for (int i = 0; i < more.length; i++) {
                statement.setString(i + 2, more[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    each.accept(rows);
                }
            }
        }
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private StageLatency() {
    }
}
