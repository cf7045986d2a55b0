package vn.huunghi.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DatabasePollFailuresTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-11-27T03:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aRouteFailingAtEveryPollIsReportedOnceAMinuteWithTheFailuresInBetween() {
        TestClock clock = new TestClock();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:polls");
        DatabasePollFailures failures = new DatabasePollFailures(clock, metrics, new DatabaseReachability(database, clock, metrics));

        assertEquals(1, failures.due("audit-chain"), "the first failure is reported at once");
        for (int poll = 1; poll < 120; poll++) { // twice a second for a minute
            clock.now = clock.now.plusMillis(500);
            assertEquals(0, failures.due("audit-chain"), "poll " + poll);
        }
        assertEquals(1, failures.due("outbox-relay"), "each route has its own report");
        clock.now = clock.now.plus(Duration.ofMillis(500));
        assertEquals(120, failures.due("audit-chain"), "a minute after the first report: the failures since");
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertEquals(0, failures.due("audit-chain"));
    }
}
