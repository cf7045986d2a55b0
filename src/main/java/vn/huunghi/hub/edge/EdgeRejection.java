package vn.huunghi.hub.edge;

import java.util.List;
import vn.huunghi.hub.catalog.SchemaViolation;

/** Thrown by an edge step that refuses a message; the route turns it into a signed rejection receipt. */
public class EdgeRejection extends RuntimeException {

    private final RejectionCode code;
    private final List<SchemaViolation> violations;

    public EdgeRejection(RejectionCode code, String detail) {
        this(code, detail, List.of());
    }

    public EdgeRejection(RejectionCode code, String detail, List<SchemaViolation> violations) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public RejectionCode code() {
        return code;
    }

    public String detail() {
        return getMessage().substring(code.name().length() + 2);
    }

    /** Each schema error with its line and path, when the code is SCHEMA_INVALID. */
    public List<SchemaViolation> violations() {
        return violations;
    }
}
