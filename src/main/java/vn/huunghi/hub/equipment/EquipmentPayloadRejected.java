package vn.huunghi.hub.equipment;

import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An equipment webhook call refused, with a stable code (docs/error-codes.md) and nothing applied. */
public class EquipmentPayloadRejected extends RuntimeException {

    /** The stable codes an equipment webhook answers with. */
    public enum Code {
        EQUIPMENT_PAYLOAD_INVALID(400, "the JSON body is malformed, or a field is missing or out of range"),
        EQUIPMENT_NOT_AUTHORIZED(403, "the client certificate is not the equipment gateway's");

        final int status;
        final String meaning;

        Code(int status, String meaning) {
            this.status = status;
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }
    }

    private final Code code;

    EquipmentPayloadRejected(String detail) {
        this(Code.EQUIPMENT_PAYLOAD_INVALID, detail);
    }

    EquipmentPayloadRejected(Code code, String detail) {
        super(detail);
        this.code = code;
    }

    /** A caller other than the equipment gateway. */
    static final class NotAuthorized extends EquipmentPayloadRejected {
        NotAuthorized() {
            super(Code.EQUIPMENT_NOT_AUTHORIZED, "only the equipment gateway's certificate may post equipment readings");
        }
    }

    /** Maps refusals to their code and a one-line reason. */
    static final class Mapper {

        @ServerExceptionMapper
        public Response refused(EquipmentPayloadRejected refusal) {
            return Response.status(refusal.code.status)
                    .entity(Map.of("code", refusal.code.name(), "detail", refusal.getMessage())).build();
        }
    }
}
