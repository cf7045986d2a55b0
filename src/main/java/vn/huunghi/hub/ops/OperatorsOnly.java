package vn.huunghi.hub.ops;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import vn.huunghi.hub.HubConfig;

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
        String cn = commonName(request);
        if (cn != null && operators.contains(cn)) {
            return null;
        }
        return Response.status(Response.Status.FORBIDDEN).type("application/json")
                .entity(Map.of("code", "OPERATOR_NOT_AUTHORIZED", "detail",
                        "the operators' API needs an operator's client certificate (hub.ops.operators)")).build();
    }

    private static String commonName(HttpServerRequest request) {
        try {
            Certificate[] chain = request.sslSession() == null ? null : request.sslSession().getPeerCertificates();
            if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
                return null;
            }
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
        } catch (Exception unverified) {
            return null;
        }
        return null;
    }
}
