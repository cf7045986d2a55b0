package vn.huunghi.hub.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jaxen.JaxenException;
import org.jaxen.SimpleNamespaceContext;
import org.jaxen.UnresolvableException;
import org.jaxen.XPathFunctionContext;
import org.jaxen.dom.DOMXPath;
import org.jaxen.saxpath.SAXPathException;
import org.jaxen.saxpath.base.XPathReader;
import org.jaxen.saxpath.helpers.DefaultXPathHandler;
import org.w3c.dom.Document;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.MessageCatalog;

/**
 * Content-based routing of a cargo unit to the agencies that must confirm it, by the declarative
 * rules in rules/agency-selection.yaml. Every decision names the rules that fired.
 */
@ApplicationScoped
public class AgencySelection {

    static final String CUSTOMS = "VN-CUSTOMS";

    public enum Effect { REQUIRE, EXEMPT, INSPECT }

    /** One rule of the file, with its compiled predicate. */
    public record Rule(String id, String agency, Effect effect, String inspection, String why, String when,
            Predicate predicate) {
    }

    /**
     * A rule's XPath 1.0 predicate, evaluated by Jaxen straight on the message's DOM. The JDK's
     * evaluator builds a fresh context for every evaluation (two variable stacks, its own stacks, a
     * DTM copy of the DOM): 300 KB per rule and pre-declaration (docs/performance.md). Everything a
     * rule may name is checked when the file is read: the prefix h:, the XPath 1.0 core functions,
     * no variables; so a rule cannot fail on the first cargo unit, nor reach out of the message.
     */
    public static final class Predicate {

        private static final SimpleNamespaceContext CATALOG_PREFIX =
                new SimpleNamespaceContext(Map.of("h", MessageCatalog.NAMESPACE_V1));
        private static final XPathFunctionContext CORE_FUNCTIONS = new XPathFunctionContext(false);

        private final String expression;
        private final DOMXPath compiled;

        Predicate(String expression) {
            this.expression = expression;
            checkNames(expression);
            try {
                // compiled once and shared: a Jaxen expression keeps no state between evaluations
                compiled = new DOMXPath(expression);
            } catch (JaxenException e) {
                throw new IllegalArgumentException("not an XPath 1.0 expression: " + expression, e);
            }
            compiled.setNamespaceContext(CATALOG_PREFIX);
            compiled.setFunctionContext(CORE_FUNCTIONS);
        }

        boolean matches(Document document) {
            try {
                return compiled.booleanValueOf(document);
            } catch (JaxenException e) {
                throw new IllegalStateException("rule predicate " + expression + " cannot be evaluated: " + e.getMessage(), e);
            }
        }

        private static void checkNames(String expression) {
            XPathReader reader = new XPathReader();
            reader.setXPathHandler(new DefaultXPathHandler() {
                @Override
                public void startNameStep(int axis, String prefix, String localName) {
                    if (!unprefixed(prefix) && !"h".equals(prefix)) {
                        throw new IllegalArgumentException("unknown prefix " + prefix + ": in " + expression
                                + " (only h: is bound, to " + MessageCatalog.NAMESPACE_V1 + ")");
                    }
                }

                @Override
                public void startFunction(String prefix, String functionName) {
                    try {
                        CORE_FUNCTIONS.getFunction(null, unprefixed(prefix) ? null : prefix, functionName);
                    } catch (UnresolvableException e) {
                        throw new IllegalArgumentException("not an XPath 1.0 core function: "
                                + (unprefixed(prefix) ? "" : prefix + ":") + functionName + "() in " + expression);
                    }
                }

                @Override
                public void variableReference(String prefix, String variableName) {
                    throw new IllegalArgumentException("a rule has no variables: $" + variableName + " in " + expression);
                }
            });
            try {
                reader.parse(expression);
            } catch (SAXPathException e) {
                throw new IllegalArgumentException("not an XPath 1.0 expression: " + expression, e);
            }
        }

        private static boolean unprefixed(String prefix) {
            return prefix == null || prefix.isEmpty();
        }
    }

    /** The outcome for one cargo unit: each required agency with the rules that required it, and every rule that fired. */
    public record Decision(Map<String, List<String>> requiredAgencies, Map<String, List<String>> inspections,
            List<Rule> fired) {
    }

    private final RuleFiles<List<Rule>> rules;

    AgencySelection(HubConfig config) {
        this.rules = new RuleFiles<>("agency-selection.yaml", config.rules().dir(), this::parse);
    }

    public Decision select(Document canonicalMessage) {
        List<Rule> fired = new ArrayList<>();
        for (Rule rule : rules.current()) {
            if (rule.predicate().matches(canonicalMessage)) {
                fired.add(rule);
            }
        }
        Map<String, List<String>> required = new LinkedHashMap<>();
        Map<String, List<String>> inspections = new LinkedHashMap<>();
        Set<String> exempt = new LinkedHashSet<>();
        for (Rule rule : fired) {
            switch (rule.effect()) {
                case REQUIRE -> required.computeIfAbsent(rule.agency(), a -> new ArrayList<>()).add(rule.id());
                case INSPECT -> {
                    required.computeIfAbsent(rule.agency(), a -> new ArrayList<>()).add(rule.id());
                    inspections.computeIfAbsent(rule.agency(), a -> new ArrayList<>()).add(rule.inspection());
                }
                case EXEMPT -> exempt.add(rule.agency());
            }
        }
        exempt.forEach(required::remove);
        exempt.forEach(inspections::remove);
        return new Decision(required, inspections, fired);
    }

    @SuppressWarnings("unchecked")
    private List<Rule> parse(Map<String, Object> file) {
        List<Rule> parsed = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) file.get("rules")) {
            String id = required(entry, "id");
            if (!ids.add(id)) {
                throw new IllegalArgumentException("rule id " + id + " is used twice");
            }
            Effect effect = Effect.valueOf(String.valueOf(entry.getOrDefault("effect", "require")).toUpperCase());
            String agency = required(entry, "agency");
            if (effect == Effect.EXEMPT && CUSTOMS.equals(agency)) {
                throw new IllegalArgumentException("rule " + id + ": customs clears every cargo unit and cannot be exempted");
            }
            if (effect == Effect.INSPECT && entry.get("inspection") == null) {
                throw new IllegalArgumentException("rule " + id + ": an inspect rule names its inspection");
            }
            String when = required(entry, "when");
            parsed.add(new Rule(id, agency, effect, (String) entry.get("inspection"), required(entry, "why"), when,
                    new Predicate(when)));
        }
        return List.copyOf(parsed);
    }

    private static String required(Map<String, Object> entry, String key) {
        Object value = entry.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("a rule lacks '" + key + "': " + entry);
        }
        return value.toString();
    }
}
