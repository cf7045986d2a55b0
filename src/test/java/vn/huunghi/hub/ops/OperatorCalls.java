package vn.huunghi.hub.ops;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import vn.huunghi.hub.edge.PartnerClient;
import vn.huunghi.hub.edge.PartnerDocuments;

/** Test helper: calls to the operators' API with a dev party's client certificate (the operator's, or another's to be refused). */
public final class OperatorCalls {

    private OperatorCalls() {
    }

    public static HttpResponse<String> operator(HttpRequest.Builder request) throws Exception {
        return as("hub-operator", request);
    }

    public static HttpResponse<String> as(String devParty, HttpRequest.Builder request) throws Exception {
        return HttpClient.newBuilder().sslContext(PartnerClient.mutualTls(
                PartnerDocuments.keystore(PartnerDocuments.DEV_KEYS.resolve(devParty + ".p12"))))
                .build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
