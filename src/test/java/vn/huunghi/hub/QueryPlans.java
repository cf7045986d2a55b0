package vn.huunghi.hub;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The database's plan for a query the hub runs: whether an index can serve it at all, whatever a test's few rows. */
public final class QueryPlans {

    private QueryPlans() {
    }

    public static String plan(DataSource dataSource, String query, String... values) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (Transactions.onPostgreSql(connection)) {
                    // on a test's few rows a sequential scan is cheaper: ask whether the index can serve the query at all
                    try (Statement off = connection.createStatement()) {
                        off.execute("SET LOCAL enable_seqscan = off");
                    }
                }
                try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + query)) {
                    for (int i = 0; i < values.length; i++) {
                        explain.setString(i + 1, values[i]);
                    }
                    StringBuilder lines = new StringBuilder();
                    try (ResultSet rows = explain.executeQuery()) {
                        while (rows.next()) {
                            lines.append(rows.getString(1)).append('\n');
                        }
                    }
                    return lines.toString();
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }
}
