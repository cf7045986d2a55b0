package vn.huunghi.hub.edge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import vn.huunghi.hub.HubConfig;

/** Edge step: refuses a message whose createdAt is too far from now, so a captured message cannot be replayed later. */
@ApplicationScoped
@Named("checkReplayWindow")
public class ReplayWindow {

    private final Duration window;
    private final Clock clock;

    ReplayWindow(HubConfig config, Clock clock) {
        this.window = config.edge().replayWindow();
        this.clock = clock;
    }

    public void check(Exchange exchange) {
        InboundDocument inbound = exchange.getProperty(InboundDocument.PROPERTY, InboundDocument.class);
        Instant createdAt = inbound.header().createdAt();
        Instant now = clock.instant();
        if (createdAt == null || Duration.between(createdAt, now).abs().compareTo(window) > 0) {
            throw new EdgeRejection(RejectionCode.CREATED_AT_OUT_OF_WINDOW,
                    "createdAt " + createdAt + " is not within " + window + " of " + now);
        }
    }
}
