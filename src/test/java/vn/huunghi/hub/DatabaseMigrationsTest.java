package vn.huunghi.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The migrations only the database the hub is built for gets (db/postgresql). */
@QuarkusTest
class DatabaseMigrationsTest {

    @Inject
    DataSource dataSource;

    @Test
    void onPostgreSqlTheArchiveTablesAreAnalysedOnceTheyHaveDoubledAndOutboxRowsHaveRoomToBeUpdatedInPlace() throws Exception {
        Map<String, String> options = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            assumeTrue(Transactions.onPostgreSql(connection), "autovacuum is PostgreSQL's; H2 has none to set");
            try (PreparedStatement select = connection.prepareStatement("SELECT relname, COALESCE(array_to_string(reloptions, ','), '')"
                    + " FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    options.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        String doubled = "autovacuum_analyze_scale_factor=1.0";
        for (String archive : new String[] {"inbound_message", "processed_message", "audit_log", "audit_document",
                "outbox_document", "outbound_delivery", "timeline_event", "agency_selection"}) {
            assertEquals(doubled, options.get(archive), archive + " keeps what the hub did and is read by key");
        }
        for (String queue : new String[] {"outbox_unrelayed", "outbox_unsettled", "audit_pending", "cargo_unit", "required_agency"}) {
            assertEquals("", options.get(queue), queue + "'s queries choose their plans by fresh statistics");
        }
        assertEquals("fillfactor=70," + doubled, options.get("outbox_message"),
                "its pages keep room for the relayed and settled versions of their rows (HOT updates),"
                        + " and it is read by key only since its queues went to tables of their own");
    }
}
