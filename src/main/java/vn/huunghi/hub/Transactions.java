package vn.huunghi.hub;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One database transaction around a piece of JDBC work: committed when the work returns, rolled back when it throws. */
public final class Transactions {

    /** Work that answers a value. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Work that answers nothing. */
    @FunctionalInterface
    public interface Run {
        void accept(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs the work in a transaction of its own and answers its value. Work that rolls back by
     * itself (nothing to do after all) may return: the commit that follows has nothing to commit.
     */
    public static <T> T call(DataSource dataSource, Call<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // the pool (Agroal) restores it when the connection goes back
            try {
                T value = work.apply(connection);
                connection.commit();
                return value;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException lost) { // the connection went with the database: keep the first cause
                    e.addSuppressed(lost);
                }
                throw e;
            }
        }
    }

    /** Whether the connection is to PostgreSQL, whose statements differ from H2's in a few places. */
    public static boolean onPostgreSql(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    }

    /** The database's own failure among a failure's causes (a step wraps it), or null when the database was not involved. */
    public static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    public static void run(DataSource dataSource, Run work) throws SQLException {
        call(dataSource, connection -> {
            work.accept(connection);
            return null;
        });
    }
}
