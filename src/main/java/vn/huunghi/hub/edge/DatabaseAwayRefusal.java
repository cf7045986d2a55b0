package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import vn.huunghi.hub.DatabaseReachability;

/**
 * Edge step: refuses a partner's document at once, HUB_UNAVAILABLE, while the database is known
 * to be away. Nothing can be accepted without it, and waiting on the pool for each request would
 * hold the partner, and an edge thread, for seconds only to refuse then.
 */
@ApplicationScoped
@Named("refuseWhileDatabaseAway")
public class DatabaseAwayRefusal {

    private final DatabaseReachability database;

    DatabaseAwayRefusal(DatabaseReachability database) {
        this.database = database;
    }

    public void check() {
        if (database.away()) {
            throw new EdgeRejection(RejectionCode.HUB_UNAVAILABLE,
                    "the hub's database does not answer; nothing was accepted, send the message again later");
        }
    }
}
