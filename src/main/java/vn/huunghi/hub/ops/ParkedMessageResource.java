package vn.huunghi.hub.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
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
                .orElseGet(() -> OperatorApiProblem.PARKED_MESSAGE_NOT_FOUND.response(
                        "no parked message " + brokerMessageId + " (retried already, or never parked)"));
    }

    @ServerExceptionMapper
    Response brokerNotAnswering(ParkedMessages.BrokerNotAnswering e) {
        return OperatorApiProblem.BROKER_NOT_ANSWERING.response(e.getMessage());
    }
}
