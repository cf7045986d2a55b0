package vn.huunghi.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The hub's connection pool as DatabaseReachabilityTest's restart test assumes it. */
@QuarkusTest
class ConnectionPoolTest {

    @Inject
    DataSource dataSource;

    @Test
    void aConnectionInSteadyUseGoesOutUncheckedAndTheProbeReachesThePoolToDropDeadOnes() {
        // DatabaseReachability is given this DataSource; without the pool behind it a restart's dead
        // connections would stay until each had been idle for a second
        AgroalDataSource pool = assertInstanceOf(AgroalDataSource.class, dataSource);
        AgroalConnectionPoolConfiguration settings = pool.getConfiguration().connectionPoolConfiguration();
        assertFalse(settings.validateOnBorrow(), "a round trip to the database for every connection lent");
        assertEquals(Duration.ofSeconds(1), settings.idleValidationTimeout(), "a quiet hub checks before it uses one");
    }
}
