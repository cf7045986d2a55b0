package vn.huunghi.hub.ops;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import vn.huunghi.hub.outbox.DeadLetters;

/** Operators' API for dead letters: list them a page at a time, replay one (delivered once more), or discard it. */
@Path("/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("party") String party,
            @QueryParam("before") String before, @QueryParam("limit") @DefaultValue("100") String limit,
            @Context UriInfo uri) {
        int most = (int) number("limit", limit, DeadLetters.MOST_PER_PAGE);
        List<DeadLetters.DeadLetter> page = deadLetters.page(status(status), Optional.ofNullable(party),
                Optional.ofNullable(before).map(id -> number("before", id, Long.MAX_VALUE)), most);
        Response.ResponseBuilder answer = Response.ok(page);
        if (page.size() == most) {
            // the next page: the letters older than this page's last
            answer.link(uri.getRequestUriBuilder().replaceQueryParam("before", page.get(most - 1).id()).build(), "next");
        }
        return answer.build();
    }

    private static Optional<DeadLetters.Status> status(String status) {
        try {
            return Optional.ofNullable(status).map(s -> DeadLetters.Status.valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("status " + status + " is none of "
                    + Arrays.toString(DeadLetters.Status.values()).toLowerCase(Locale.ROOT));
        }
    }

    private static long number(String name, String value, long most) {
        try {
            long number = Long.parseLong(value.trim());
            if (number >= 1 && number <= most) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below, as a number out of range is
        }
        throw new InvalidParameter(name + " " + value + " is not a whole number from 1 to " + most);
    }

    /** A query parameter the list cannot be asked with. */
    static final class InvalidParameter extends RuntimeException {
        InvalidParameter(String message) {
            super(message);
        }
    }

    @ServerExceptionMapper
    Response invalidParameter(InvalidParameter e) {
        return OperatorApiProblem.LIST_PARAMETER_INVALID.response(e.getMessage());
    }

    @POST
    @Path("/{id}/replay")
    public Response replay(@PathParam("id") long id) {
        return deadLetters.replay(id).map(letter -> Response.ok(letter).build()).orElseGet(() -> notDead(id));
    }

    @POST
    @Path("/{id}/discard")
    public Response discard(@PathParam("id") long id) {
        return deadLetters.discard(id).map(letter -> Response.ok(letter).build()).orElseGet(() -> notDead(id));
    }

    private static Response notDead(long id) {
        return OperatorApiProblem.DEAD_LETTER_NOT_FOUND.response(
                "no dead letter " + id + " awaits an operator (replayed or discarded already, or never kept)");
    }
}
