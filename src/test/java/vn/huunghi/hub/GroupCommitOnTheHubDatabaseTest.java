package vn.huunghi.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Whether callers share commits depends on the database the hub runs on (each Surefire pass has its own). */
@QuarkusTest
class GroupCommitOnTheHubDatabaseTest {

    @Inject
    DataSource dataSource;

    @Test
    void onH2ACallerWaitsForTheCommitBeforeItsOwnOnPostgreSqlItWritesAlongside() throws Exception {
        boolean onPostgreSql;
        try (Connection connection = dataSource.getConnection()) {
            onPostgreSql = Transactions.onPostgreSql(connection);
        }
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch firstMayCommit = new CountDownLatch(1);
        GroupCommit<String> group = new GroupCommit<>(dataSource, 64, (connection, work) -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
            if (work.equals("first")) {
                firstWriting.countDown();
                try {
                    firstMayCommit.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = callers.submit(() -> {
                group.commit("first");
                return null;
            });
            assertTrue(firstWriting.await(10, TimeUnit.SECONDS));
            Future<?> second = callers.submit(() -> {
                group.commit("second");
                return null;
            });
            if (onPostgreSql) {
                second.get(10, TimeUnit.SECONDS);
                assertFalse(first.isDone(), "the second committed while the first was still writing");
            } else {
                assertThrows(TimeoutException.class, () -> second.get(500, TimeUnit.MILLISECONDS),
                        "the second waits for the commit in progress, to share the next");
            }
            firstMayCommit.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            firstMayCommit.countDown();
            callers.shutdownNow();
        }
    }
}
