package vn.huunghi.hub;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;

/**
 * One statement that changes rows, with its parameters in order, to be sent with others that need
 * no answer in between: together they cost PostgreSQL one round trip (docs/performance.md, session 35).
 *
 * @param sql        one statement, without a terminating semicolon
 * @param parameters its parameters in order: Strings, Timestamps, byte arrays, numbers, SQL arrays,
 *                   or nulls, each a null string (the type a null String had in a statement of its own)
 */
public record Write(String sql, List<Object> parameters) {

    public Write(String sql, Object... parameters) {
        this(sql, Arrays.asList(parameters));
    }

    /**
     * Sends the writes, in order, inside the caller's transaction. On PostgreSQL they are one
     * statement of several parts, which its driver sends at once and the server runs in order,
     * stopping at the first that fails; on H2, in the hub's own process, one statement each.
     */
    public static void together(Connection connection, List<Write> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        if (writes.size() == 1 || !Transactions.onPostgreSql(connection)) {
            for (Write write : writes) {
                execute(connection, write.sql(), List.of(write));
            }
            return;
        }
        execute(connection, String.join("; ", writes.stream().map(Write::sql).toList()), writes);
    }

    private static void execute(Connection connection, String sql, List<Write> writes) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (Write write : writes) {
                for (Object parameter : write.parameters()) {
                    if (parameter == null) {
                        // as setString(i, null) types it: PostgreSQL's driver prepares a statement again when a
                        // parameter's type differs from the one it was prepared with, and a statement first run
                        // with an untyped null would be prepared without that type
                        statement.setNull(index++, Types.VARCHAR);
                    } else {
                        statement.setObject(index++, parameter);
                    }
                }
            }
            statement.execute();
        }
    }
}
