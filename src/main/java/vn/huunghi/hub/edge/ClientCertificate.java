package vn.huunghi.hub.edge;

import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Who is calling over mutual TLS: the CN of the verified client certificate (the party code in the dev PKI). */
public final class ClientCertificate {

    private ClientCertificate() {
    }

    public static Optional<String> commonName(HttpServerRequest request) {
        try {
            Certificate[] chain = request.sslSession() == null ? null : request.sslSession().getPeerCertificates();
            if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
                return Optional.empty();
            }
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (Exception unverified) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
