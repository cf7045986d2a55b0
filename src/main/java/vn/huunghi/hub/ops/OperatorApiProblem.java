package vn.huunghi.hub.ops;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The stable codes the operators' API answers a refused call with (docs/error-codes.md), each with its HTTP status. */
public enum OperatorApiProblem {
    OPERATOR_NOT_AUTHORIZED(Response.Status.FORBIDDEN),
    PARKED_MESSAGE_NOT_FOUND(Response.Status.NOT_FOUND),
    DEAD_LETTER_NOT_FOUND(Response.Status.NOT_FOUND),
    LIST_PARAMETER_INVALID(Response.Status.BAD_REQUEST),
    BROKER_NOT_ANSWERING(Response.Status.SERVICE_UNAVAILABLE);

    private final Response.Status status;

    OperatorApiProblem(Response.Status status) {
        this.status = status;
    }

    /** The answer: this status and {"code": ..., "detail": ...}. */
    public Response response(String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("code", name(), "detail", detail)).build();
    }
}
