package vn.huunghi.hub.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import vn.huunghi.hub.broker.ParkedMessages;

/** Operators' API for the messages the broker parked after their last failed delivery: list them, retry one on its queue. */
@Path("/ops/parked-messages")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedMessageResource {

    private final ParkedMessages parked;

    ParkedMessageResource(ParkedMessages parked) {
        this.parked = parked;
    }

    @GET
    public List<ParkedMessages.ParkedMessage> list() {
        return parked.list();
    }

    @POST
    @Path("/{brokerMessageId}/retry")
    public Response retry(@PathParam("brokerMessageId") long brokerMessageId) {
        return parked.retry(brokerMessageId).map(message -> Response.ok(message).build())
                .orElseGet(() -> problem(Response.Status.NOT_FOUND, "PARKED_MESSAGE_NOT_FOUND",
                        "no parked message " + brokerMessageId + " (retried already, or never parked)"));
    }

    @ServerExceptionMapper
    Response brokerNotAnswering(ParkedMessages.BrokerNotAnswering e) {
        return problem(Response.Status.SERVICE_UNAVAILABLE, "BROKER_NOT_ANSWERING", e.getMessage());
    }

    private static Response problem(Response.Status status, String code, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("code", code, "detail", detail)).build();
    }
}
