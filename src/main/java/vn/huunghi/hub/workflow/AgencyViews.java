package vn.huunghi.hub.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.HubDocuments;
import vn.huunghi.hub.crypto.XmlSigner;

/**
 * Renders the AgencyView each agency receives: only the pre-declaration elements its view in
 * rules/agency-views.yaml allows, so that no agency sees more than it needs.
 */
@ApplicationScoped
public class AgencyViews {

    /** One agency's view: top-level elements shown whole, and elements shown with only some children. */
    public record View(String agency, String id, String why, Set<String> whole, Map<String, Set<String>> partial) {

        public boolean allows(String path) {
            String[] steps = path.split("/");
            if (whole.contains(steps[0])) {
                return true;
            }
            return steps.length == 1 ? partial.containsKey(steps[0])
                    : partial.getOrDefault(steps[0], Set.of()).contains(steps[1]);
        }
    }

    private final RuleFiles<Map<String, View>> views;

    AgencyViews(HubConfig config) {
        this.views = new RuleFiles<>("agency-views.yaml", config.rules().dir(), AgencyViews::parse);
    }

    public View viewOf(String agency) {
        View view = views.current().get(agency);
        if (view == null) {
            throw new IllegalStateException("rules/agency-views.yaml has no view for " + agency);
        }
        return view;
    }

    /** The AgencyView message for one agency, built from the cargo unit's pre-declaration. */
    public byte[] render(String cargoUnitId, String agency, List<String> requiredBy, Document preDeclaration,
            String correlationId, Instant now) {
        View view = viewOf(agency);
        Element body = HubDocuments.newMessage("AgencyView", agency, correlationId, now);
        Element target = HubDocuments.add(body, "AgencyView");
        HubDocuments.text(target, "CargoUnitId", cargoUnitId);
        HubDocuments.text(target, "Agency", agency);
        HubDocuments.text(target, "ViewId", view.id());
        requiredBy.forEach(rule -> HubDocuments.text(target, "RequiredBy", rule));
        Element source = declaration(preDeclaration);
        for (Element element : children(source)) {
            String name = element.getLocalName();
            if (view.whole().contains(name)) {
                target.appendChild(target.getOwnerDocument().importNode(element, true));
            } else if (view.partial().containsKey(name)) {
                Element copy = (Element) target.getOwnerDocument().importNode(element, false);
                for (Element child : children(element)) {
                    if (view.partial().get(name).contains(child.getLocalName())) {
                        copy.appendChild(target.getOwnerDocument().importNode(child, true));
                    }
                }
                target.appendChild(copy);
            }
        }
        return XmlSigner.serialize(target.getOwnerDocument());
    }

    private static Element declaration(Document preDeclaration) {
        Element body = HubDocuments.child(preDeclaration.getDocumentElement(), "Body");
        Element declaration = body == null ? null : HubDocuments.child(body, "CargoPreDeclaration");
        if (declaration == null) {
            throw new IllegalArgumentException("not a CargoPreDeclaration message");
        }
        return declaration;
    }

    static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, View> parse(Map<String, Object> file) {
        Map<String, View> parsed = new LinkedHashMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) file.get("views")) {
            Set<String> whole = new LinkedHashSet<>();
            Map<String, Set<String>> partial = new LinkedHashMap<>();
            for (String allowed : (List<String>) entry.get("allow")) {
                String[] steps = allowed.split("/");
                if (steps.length == 1) {
                    whole.add(steps[0]);
                } else {
                    partial.computeIfAbsent(steps[0], k -> new LinkedHashSet<>()).add(steps[1]);
                }
            }
            String agency = String.valueOf(entry.get("agency"));
            parsed.put(agency, new View(agency, String.valueOf(entry.get("id")), String.valueOf(entry.get("why")),
                    Set.copyOf(whole), Map.copyOf(partial)));
        }
        return Map.copyOf(parsed);
    }
}
