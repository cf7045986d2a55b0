package vn.huunghi.hub.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vn.huunghi.hub.workflow.CargoUnitQueries;

/** What the operator page shows: the board of cargo units, a cargo unit's timeline, the routes' exchange counts. */
@Path("/ops")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorBoardResource {

    /** One awaited agency and why it was asked (the rules that required it). */
    public record Awaited(String agency, List<String> rules, List<String> why) {
    }

    /** One row of the board. */
    public record BoardRow(String id, String declarationReference, String state, List<Awaited> awaited) {
    }

    /** A route's exchanges since the hub started; the page turns successive readings into throughput. */
    public record RouteCount(String routeId, double exchanges, double failed) {
    }

    private final CargoUnitQueries queries;
    private final MeterRegistry registry;

    OperatorBoardResource(CargoUnitQueries queries, MeterRegistry registry) {
        this.queries = queries;
        this.registry = registry;
    }

    @GET
    @Path("/cargo-units")
    public List<BoardRow> board(@QueryParam("limit") @DefaultValue("50") int limit) {
        return queries.recent(limit).stream().map(unit -> new BoardRow(unit.id(), unit.declarationReference(), unit.state(),
                unit.requiredAgencies().values().stream().filter(agency -> "PENDING".equals(agency.status()))
                        .map(agency -> new Awaited(agency.agency(), agency.ruleIds(), unit.firedRules().stream()
                                .filter(rule -> rule.agency().equals(agency.agency()) && agency.ruleIds().contains(rule.ruleId()))
                                .map(CargoUnitQueries.FiredRule::why).toList()))
                        .toList())).toList();
    }

    @GET
    @Path("/cargo-units/{id}/timeline")
    public List<CargoUnitQueries.TimelineEvent> timeline(@PathParam("id") String id) {
        if (queries.byId(id).isEmpty()) {
            throw new NotFoundException("no cargo unit " + id);
        }
        return queries.timeline(id);
    }

    /** What the workflow made of an inbound message: its outcome code (docs/error-codes.md). */
    public record MessageOutcome(String messageId, String outcome) {
    }

    @GET
    @Path("/messages/{messageId}")
    public MessageOutcome message(@PathParam("messageId") String messageId) {
        return queries.outcomeOf(messageId).map(outcome -> new MessageOutcome(messageId, outcome))
                .orElseThrow(() -> new NotFoundException("the workflow has not applied " + messageId));
    }

    @GET
    @Path("/routes")
    public List<RouteCount> routes() {
        Map<String, double[]> counts = new TreeMap<>();
        count(counts, "camel.exchanges.total", 0);
        count(counts, "camel.exchanges.failed", 1);
        return counts.entrySet().stream().map(e -> new RouteCount(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
    }

    private void count(Map<String, double[]> counts, String meter, int column) {
        for (Counter counter : registry.find(meter).counters()) {
            String routeId = counter.getId().getTag("routeId");
            if (routeId != null && !routeId.isBlank()) {
                counts.computeIfAbsent(routeId, r -> new double[2])[column] += counter.count();
            }
        }
    }
}
