package vn.huunghi.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final JdbcDataSource database = new JdbcDataSource();
    private final ExecutorService callers = Executors.newFixedThreadPool(9);
    /** Each transaction's connection (a new one each time: no pool here) and the work written in it. */
    private final Map<Connection, List<String>> transactions = Collections.synchronizedMap(new IdentityHashMap<>());
    private final CountDownLatch firstMayCommit = new CountDownLatch(1);
    private Connection keepsTheDatabase;

    @BeforeEach
    void table() throws SQLException {
        database.setURL("jdbc:h2:mem:group-commit-" + System.nanoTime());
        keepsTheDatabase = database.getConnection();
        try (Statement create = keepsTheDatabase.createStatement()) {
            create.execute("CREATE TABLE kept (id VARCHAR(20) PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        callers.shutdownNow();
        keepsTheDatabase.close();
    }

    // the first caller's transaction waits until the test lets it commit, so that the others queue behind it
    private void keep(Connection connection, String id) throws SQLException {
        transactions.computeIfAbsent(connection, c -> Collections.synchronizedList(new ArrayList<>())).add(id);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO kept (id) VALUES (?)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
        if (id.equals("first")) {
            await(firstMayCommit);
        }
    }

    @Test
    void callersArrivingDuringACommitShareTheNextAndEachReturnsOnceItsWorkIsCommitted() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(database, 64, this::keep);
        Future<?> first = callers.submit(() -> commit(group, "first"));
        awaitWaiting(group, 0);
        List<Future<?>> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = "other-" + i;
            others.add(callers.submit(() -> commit(group, id)));
        }
        awaitWaiting(group, 8);
        assertEquals(0, count("other-%"), "nothing committed before its turn");

        firstMayCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> other : others) {
            other.get(10, TimeUnit.SECONDS);
        }

        assertEquals(9, count("%"));
        assertEquals(2, transactions.size(), "the first alone, then the eight that waited in one");
        assertTrue(transactions.values().stream().anyMatch(written -> written.size() == 8), transactions.values()::toString);
    }

    @Test
    void aCallerWhoseRowsConflictFailsAloneAndTheOthersInItsGroupAreKept() throws Exception {
        try (Statement insert = keepsTheDatabase.createStatement()) {
            insert.execute("INSERT INTO kept (id) VALUES ('repeat')");
        }
        GroupCommit<String> group = new GroupCommit<>(database, 64, this::keep);
        Future<?> first = callers.submit(() -> commit(group, "first"));
        awaitWaiting(group, 0);
        List<Future<Exception>> others = new ArrayList<>();
        for (String id : List.of("a", "repeat", "b")) {
            others.add(callers.submit(() -> commitCatching(group, id)));
        }
        awaitWaiting(group, 3);
        firstMayCommit.countDown();
        first.get(10, TimeUnit.SECONDS);

        assertNull(others.get(0).get(10, TimeUnit.SECONDS));
        SQLException repeat = assertInstanceOf(SQLException.class, others.get(1).get(10, TimeUnit.SECONDS));
        assertEquals("23505", repeat.getSQLState(), "the caller sees its own conflict, as if written alone");
        assertNull(others.get(2).get(10, TimeUnit.SECONDS));
        assertEquals(Set.of("first", "a", "repeat", "b"), Set.copyOf(ids()));
    }

    @Test
    void whenTheDatabaseFailsEveryCallerInTheGroupGetsItsFailure() throws Exception {
        GroupCommit<String> group = new GroupCommit<>(database, 64, (connection, id) -> {
            keep(connection, id);
            if (!id.equals("first")) {
                try (Statement broken = connection.createStatement()) {
                    broken.execute("SELECT * FROM no_such_table");
                }
            }
        });
        Future<?> first = callers.submit(() -> commit(group, "first"));
        awaitWaiting(group, 0);
        List<Future<Exception>> others = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            others.add(callers.submit(() -> commitCatching(group, id)));
        }
        awaitWaiting(group, 3);
        firstMayCommit.countDown();
        first.get(10, TimeUnit.SECONDS);

        Exception failure = others.get(0).get(10, TimeUnit.SECONDS);
        assertInstanceOf(SQLException.class, failure);
        for (Future<Exception> other : others) {
            assertSame(failure, other.get(10, TimeUnit.SECONDS), "one failure for the group, not one attempt each");
        }
        assertEquals(List.of("first"), ids());
    }

    private Void commit(GroupCommit<String> group, String id) throws SQLException {
        group.commit(id);
        return null;
    }

    private Exception commitCatching(GroupCommit<String> group, String id) {
        try {
            group.commit(id);
            return null;
        } catch (SQLException | RuntimeException e) {
            return e;
        }
    }

    private void awaitWaiting(GroupCommit<String> group, int callers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // the first caller is past the queue once its transaction has begun
        while (!(group.waiting() == callers && transactions.size() == 1)) {
            assertTrue(System.nanoTime() < deadline, "waiting callers: " + group.waiting());
            Thread.sleep(5);
        }
    }

    private int count(String like) throws SQLException {
        try (PreparedStatement select = keepsTheDatabase.prepareStatement("SELECT COUNT(*) FROM kept WHERE id LIKE ?")) {
            select.setString(1, like);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private List<String> ids() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement select = keepsTheDatabase.createStatement(); ResultSet rows = select.executeQuery("SELECT id FROM kept")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
