package vn.huunghi.hub.ops;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.edge.ClientCertificate;

/**
 * The operators' API (/ops/...) answers operators only: a client certificate whose CN is in
 * hub.ops.operators. Partners share the port and the CA, so mutual TLS alone is not enough.
 */
public class OperatorsOnly {

    private final Set<String> operators;

    OperatorsOnly(HubConfig config) {
        this.operators = config.ops().operators();
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext context, HttpServerRequest request) {
        if (!context.getUriInfo().getPath().startsWith("/ops")) {
            return null;
        }
        if (ClientCertificate.commonName(request).filter(operators::contains).isPresent()) {
            return null;
        }
        return OperatorApiProblem.OPERATOR_NOT_AUTHORIZED.response(
                "the operators' API needs an operator's client certificate (hub.ops.operators)");
    }
}
