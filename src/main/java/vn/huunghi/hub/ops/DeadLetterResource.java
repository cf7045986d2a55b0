package vn.huunghi.hub.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import vn.huunghi.hub.outbox.DeadLetters;

/** Operators' API for dead letters: list them, replay one (delivered once more), or discard it. */
@Path("/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    public List<DeadLetters.DeadLetter> list(@QueryParam("status") String status) {
        return deadLetters.list(Optional.ofNullable(status).map(s -> DeadLetters.Status.valueOf(s.toUpperCase())));
    }

    @POST
    @Path("/{id}/replay")
    public DeadLetters.DeadLetter replay(@PathParam("id") long id) {
        return deadLetters.replay(id).orElseThrow(() -> new NotFoundException("no dead letter " + id + " to replay"));
    }

    @POST
    @Path("/{id}/discard")
    public DeadLetters.DeadLetter discard(@PathParam("id") long id) {
        return deadLetters.discard(id).orElseThrow(() -> new NotFoundException("no dead letter " + id + " to discard"));
    }
}
