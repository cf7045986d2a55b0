package vn.huunghi.hub;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The hub's clock, one bean so that time-dependent decisions (replay window, receipts) can be tested. */
public class HubClock {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
