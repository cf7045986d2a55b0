package vn.huunghi.hub;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Writes the same kind of work from many threads in shared transactions: each caller returns once
 * its own work is committed, and one commit serves every caller that arrived while the one before
 * was being written. On the embedded H2, which writes a new chunk of its file for every commit and
 * commits one at a time, that is most of what a commit costs. PostgreSQL commits side by side and
 * shares one flush of its log among concurrent commits itself: there each caller writes alone, in
 * its own transaction, as sharing measured no less CPU and longer waits (docs/performance.md,
 * session 29). A lone caller is written at once, in a transaction of its own.
 */
public final class GroupCommit<T> {

    /** The statements for one caller's work, run inside a shared transaction. */
    @FunctionalInterface
    public interface Write<T> {
        void write(Connection connection, T work) throws SQLException;
    }

    private static final class Pending<T> {
        final T work;
        boolean done;
        Exception failure;

        Pending(T work) {
            this.work = work;
        }
    }

    private final DataSource dataSource;
    private final Write<T> write;
    private final int maxGroup;
    private final ConcurrentLinkedQueue<Pending<T>> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committer = new ReentrantLock();
    private volatile Boolean sharesCommits;

    public GroupCommit(DataSource dataSource, int maxGroup, Write<T> write) {
        this.dataSource = dataSource;
        this.maxGroup = maxGroup;
        this.write = write;
    }

    /**
     * Writes the work, with whatever other callers' work is waiting, and returns once it is
     * committed; throws what writing it alone would have thrown.
     */
    public void commit(T work) throws SQLException {
        if (!sharesCommits()) {
            Transactions.run(dataSource, connection -> write.write(connection, work));
            return;
        }
        Pending<T> mine = new Pending<>(work);
        waiting.add(mine);
        // whoever holds the lock writes everyone waiting; the lock also publishes the outcome to each owner
        committer.lock();
        try {
            while (!mine.done) {
                writeGroup(nextGroup());
            }
        } finally {
            committer.unlock();
        }
        if (mine.failure instanceof SQLException e) {
            throw e;
        }
        if (mine.failure instanceof RuntimeException e) {
            throw e;
        }
    }

    private boolean sharesCommits() throws SQLException {
        Boolean shares = sharesCommits;
        if (shares == null) {
            try (Connection connection = dataSource.getConnection()) {
                shares = !Transactions.onPostgreSql(connection);
            }
            sharesCommits = shares;
        }
        return shares;
    }

    /** Callers waiting for the committer (for tests). */
    int waiting() {
        return waiting.size();
    }

    private List<Pending<T>> nextGroup() {
        List<Pending<T>> group = new ArrayList<>();
        for (Pending<T> next; group.size() < maxGroup && (next = waiting.poll()) != null; ) {
            group.add(next);
        }
        return group;
    }

    private void writeGroup(List<Pending<T>> group) {
        if (group.size() > 1) {
            try {
                Transactions.run(dataSource, connection -> {
                    for (Pending<T> pending : group) {
                        write.write(connection, pending.work);
                    }
                });
                group.forEach(pending -> pending.done = true);
                return;
            } catch (SQLException e) {
                if (!violatesConstraint(e)) {
                    // the database's failure, not one caller's: each caller gets it, none is tried again here
                    group.forEach(pending -> fail(pending, e));
                    return;
                }
            } catch (RuntimeException e) {
                // one caller's work failed; which one only writing each alone tells
            }
        }
        // one caller's rows conflict with rows already there (a repeat): the others must not fail with it
        for (Pending<T> pending : group) {
            try {
                Transactions.run(dataSource, connection -> write.write(connection, pending.work));
                pending.done = true;
            } catch (SQLException | RuntimeException e) {
                fail(pending, e);
            }
        }
    }

    private static void fail(Pending<?> pending, Exception failure) {
        pending.failure = failure;
        pending.done = true;
    }

    // SQLSTATE class 23: integrity constraint violation, in H2 and PostgreSQL alike
    private static boolean violatesConstraint(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
